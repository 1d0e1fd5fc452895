public import RunbookLifecycle

/// Where a run asks for one use of a budget before a budgeted step (or run) goes ahead.
///
/// The server's ledger is its store, shared by every replica, fenced by the run's claim; `rbx
/// run`, which opens no store, counts in memory; drills and `rbx test` count in memory from
/// the uses their test assumes. Each implementation decides with ``BudgetWindow``.
public protocol BudgetLedger: Sendable {
    /// Records a use and grants it, or refuses it when the window is full. Asking again for the
    /// same run and step returns the earlier grant without a second use.
    /// - Throws: when the ledger cannot answer (a store that is down, a claim lost); the
    ///   step is then not run.
    func use(_ request: BudgetRequest) async throws -> BudgetDecision
}
