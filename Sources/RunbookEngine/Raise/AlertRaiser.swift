public import RunbookCore

/// Where a `raise:` step's alert goes: `rbx serve` hands it to its own intake, as if Prometheus
/// had posted it. A run without one (`rbx run`) records the alert and where it would go.
public protocol AlertRaiser: Sendable {
    /// Takes one alert, in Alertmanager's postable JSON (a list of one), through intake.
    /// - Returns: what intake did with it, in a few words for the timeline.
    func raise(_ body: [UInt8]) async throws -> String
}
