public import RunbookYAML

/// `budget: {max: 3, per: 1h, key: "{{alert.labels.service}}"}` on a step or a runbook: at most
/// `max` runs of it per `per`, counted across runs (and replicas) by the server's store.
///
/// Retries and cooldowns are per run or block without counting; a budget is what says "at most
/// three restarts of a service an hour, then a person looks". The count belongs to one budget,
/// named `runbook/step/key` (``identity(runbook:step:key:)``), so two runbooks never share one.
public struct Budget: Sendable, Equatable {
    /// Uses allowed within the window; at least 1.
    public var max: Int
    /// The sliding window the uses are counted in; longer than 0s, at most ``longestWindow``.
    public var per: Duration
    /// What the uses are counted by, rendered just before the step (or the run) asks; without
    /// one, every alert the runbook takes shares the budget.
    public var key: InterpolatedText?
    public var location: SourceLocation

    /// The longest window a budget may count in: the store keeps uses this long.
    public static let longestWindow: Duration = .seconds(30 * 24 * 3600)

    public init(max: Int, per: Duration, key: InterpolatedText? = nil, location: SourceLocation) {
        self.max = max
        self.per = per
        self.key = key
        self.location = location
    }

    /// The budget's name in the store: `runbook/step/key` (`runbook//key` for a runbook's own).
    /// Runbook names and step ids hold no `/`, so the first two separate the parts.
    public static func identity(runbook: String, step: String?, key: String) -> String {
        "\(runbook)/\(step ?? "")/\(key)"
    }

    /// `3 per 1h by {{alert.labels.service}}`, for docs, diffs and notes.
    public var summary: String {
        "\(max) per \(per.runbookDescription)" + (key.map { " by \($0.text)" } ?? "")
    }
}
