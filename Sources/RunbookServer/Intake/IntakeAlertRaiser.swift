import RunbookCore
import RunbookEngine
import RunbookStore

/// Sends a run's `raise:` alerts through the server's own intake, as if posted to
/// `POST /api/v2/alerts`: decoded, deduplicated, silenced, routed and stored the same way.
struct IntakeAlertRaiser: AlertRaiser {
    let intake: AlertIntake

    init(dependencies: ServerDependencies) {
        intake = AlertIntake(dependencies: dependencies)
    }

    func raise(_ body: [UInt8]) async throws -> String {
        let received = try await intake.receive(body, form: .alertmanager)
        if let refused = received.refused.first { throw refused }
        guard let (_, outcome) = received.taken.first else { return "intake took nothing" }
        switch outcome {
        case .queued(let id): return "queued as alert \(id)"
        case .deduplicated(let id, let occurrences): return "a repeat of alert \(id) (occurrence \(occurrences))"
        case .silenced(let id, let silence): return "stored as alert \(id), silenced by \(silence)"
        case .unrouted(let id): return "stored as alert \(id); no runbook matches it"
        case .resolved(let id, let runs):
            return (id.map { "resolved alert \($0)" } ?? "resolved nothing rbx had")
                + (runs.isEmpty ? "" : " and \(runs.count) run\(runs.count == 1 ? "" : "s")")
        }
    }
}
