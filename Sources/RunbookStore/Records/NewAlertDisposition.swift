/// What intake does with an alert that is not a repeat: queue it for a worker, or store it as
/// already handled because a silence holds it back or no runbook matches it. Both stores
/// decide it here, so the rule cannot differ between SQLite and PostgreSQL.
struct NewAlertDisposition {
    let silence: Silence?
    let hasRunbook: Bool

    init(labels: [String: String], silences: [Silence], hasRunbook: Bool, now: Int64) {
        silence = silences.first { $0.silences(labels, at: now) }
        self.hasRunbook = hasRunbook
    }

    /// The alert's stored state: a worker claims only `new` alerts.
    var state: AlertState { silence != nil || !hasRunbook ? .acked : .new }

    var note: String? { silence.map { "silenced by \($0.id)" } ?? (hasRunbook ? nil : "no runbook matches this alert") }

    func outcome(alertID id: Int64) -> IntakeOutcome {
        silence.map { .silenced(alertID: id, silenceID: $0.id) }
            ?? (hasRunbook ? .queued(alertID: id) : .unrouted(alertID: id))
    }
}
