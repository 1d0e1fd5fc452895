/// A budgeted step (or run) asking for one use of its budget, before it runs.
///
/// The use is recorded with the run and step that took it, so asking again for the same run and
/// step (a run resumed after a restart) returns the grant it already has instead of a second use.
public struct BudgetRequest: Sendable, Hashable, Codable {
    /// `runbook/step/key` (``RunbookCore/Budget/identity(runbook:step:key:)``).
    public var budget: String
    public var runbook: String
    /// The step's id; empty for the runbook's own budget.
    public var step: String
    /// The rendered key, for notes and the listing.
    public var key: String
    public var max: Int
    public var per: Duration
    public var runID: String

    public init(budget: String, runbook: String, step: String, key: String, max: Int, per: Duration, runID: String) {
        self.budget = budget
        self.runbook = runbook
        self.step = step
        self.key = key
        self.max = max
        self.per = per
        self.runID = runID
    }

    public var window: BudgetWindow { BudgetWindow(max: max, per: per) }
}

/// The ledger's answer to a ``BudgetRequest``.
public struct BudgetDecision: Sendable, Hashable {
    public var verdict: BudgetWindow.Verdict
    /// The run and step already had this use (a resumed run asking again): nothing was added.
    public var alreadyGranted: Bool

    public init(_ verdict: BudgetWindow.Verdict, alreadyGranted: Bool = false) {
        self.verdict = verdict
        self.alreadyGranted = alreadyGranted
    }

    public var granted: Bool {
        if case .granted = verdict { return true }
        return false
    }
}

/// One recorded use of a budget, as a store keeps it.
public struct BudgetUse: Sendable, Hashable {
    public var budget: String
    /// Epoch milliseconds.
    public var usedAt: Int64
    public var runID: String
    public var step: String

    public init(budget: String, usedAt: Int64, runID: String, step: String) {
        self.budget = budget
        self.usedAt = usedAt
        self.runID = runID
        self.step = step
    }
}
