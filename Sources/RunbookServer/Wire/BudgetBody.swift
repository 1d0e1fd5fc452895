public import RunbookCore
public import RunbookLifecycle

/// A budget as `GET /api/v1/budgets` lists it: its uses in the window now, against the limit
/// the catalog gives it.
public struct BudgetBody: Codable, Sendable, Equatable {
    /// `runbook/step/key`.
    public var budget: String
    public var runbook: String
    /// Empty for the runbook's own budget.
    public var step: String
    public var key: String
    public var used: Int
    public var max: Int
    /// The window, as the catalog writes it (`1h`).
    public var per: String
    public var exhausted: Bool
    /// RFC 3339: when the next use is allowed (exhausted), or when the oldest use leaves the window.
    public var freesAt: String
    /// The runs that took the uses in the window, oldest first.
    public var runs: [String]

    enum CodingKeys: String, CodingKey {
        case budget, runbook, step, key, used, max, per, exhausted, runs
        case freesAt = "frees_at"
    }

    /// Each budget with uses in its window at `now`, by name; uses of budgets the catalog no
    /// longer has (a runbook or step removed, its budget taken off) are left out.
    public static func listing(_ uses: [BudgetUse], catalog: Catalog, now: Int64) -> [BudgetBody] {
        let grouped = Dictionary(grouping: uses, by: \.budget)
        return grouped.keys.sorted().compactMap { name -> BudgetBody? in
            let parts = name.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let runbook = catalog.runbook(named: parts[0]),
                let budget = parts[1].isEmpty
                    ? runbook.budget : runbook.allSteps.first(where: { $0.id.value == parts[1] })?.budget
            else { return nil }
            let window = BudgetWindow(max: budget.max, per: budget.per)
            let held = (grouped[name] ?? []).filter { use in
                window.inWindow([use.usedAt], now: now).count == 1
            }.sorted { $0.usedAt < $1.usedAt }
            guard let oldest = held.first else { return nil }
            let freesAt: Int64
            let exhausted: Bool
            switch window.decide(uses: held.map(\.usedAt), now: now) {
            case .granted:
                exhausted = false
                freesAt = oldest.usedAt + budget.per.totalMilliseconds
            case .exhausted(_, let nextFreeAt):
                exhausted = true
                freesAt = nextFreeAt
            }
            return BudgetBody(
                budget: name, runbook: parts[0], step: parts[1], key: parts[2], used: held.count, max: budget.max,
                per: budget.per.runbookDescription, exhausted: exhausted,
                freesAt: RFC3339.format(epochMilliseconds: freesAt), runs: held.map(\.runID))
        }
    }
}
