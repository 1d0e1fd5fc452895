import RunbookCore

/// The clock of a fire drill's run: virtual time that runs `speed` times faster than the
/// continuous clock, so a `wait: 5m` step takes 5 s at `--speed 60` and the timeline reads in
/// the drill's own minutes.
struct DrillClock: Clock {
    typealias Duration = Swift.Duration
    typealias Instant = ContinuousClock.Instant

    let drill: AlertDrill
    private let base = ContinuousClock()
    private let origin: Instant

    init(_ drill: AlertDrill) {
        self.drill = drill
        origin = base.now
    }

    var now: Instant { origin + drill.virtual(origin.duration(to: base.now)) }

    var minimumResolution: Duration { base.minimumResolution }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        let remaining = now.duration(to: deadline)
        guard remaining > .zero else { return }
        try await base.sleep(for: drill.real(remaining), tolerance: tolerance)
    }
}
