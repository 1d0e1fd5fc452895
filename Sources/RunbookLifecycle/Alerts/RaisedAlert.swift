public import RunbookCore

/// An alert a run's `raise:` step sent (or, in a dry run or a drill, would send) into intake, as
/// the evidence and `rbx test` see it.
public struct RaisedAlert: Sendable, Hashable, Codable {
    /// The step that raised it.
    public var step: String
    public var name: String
    public var status: Alert.Status
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: String
    public var endsAt: String
    /// The runbook intake routes it to in this catalog; nil when none matches.
    public var runbook: String?
    /// What intake did with it (queued as alert 12, a repeat of alert 9, silenced), or why it
    /// was not sent.
    public var outcome: String

    public init(
        step: String, name: String, status: Alert.Status, labels: [String: String], annotations: [String: String],
        startsAt: String, endsAt: String, runbook: String?, outcome: String
    ) {
        self.step = step
        self.name = name
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.runbook = runbook
        self.outcome = outcome
    }
}
