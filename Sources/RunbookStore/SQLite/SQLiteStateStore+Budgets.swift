import GRDB
public import RunbookCore
public import RunbookLifecycle

extension SQLiteStateStore {
    /// One write transaction: SQLite runs one writer at a time, so counting the window and
    /// inserting the use cannot interleave with another use of the budget.
    public func useBudget(_ request: BudgetRequest, claim: Claim?, now: Int64) async throws -> BudgetDecision {
        try await pool.write { db -> BudgetDecision in
            if let claim { try Self.fence(claim, "use budget \(request.budget)", db: db) }
            try db.execute(
                sql: "DELETE FROM budget_uses WHERE budget = ? AND used_at <= ?",
                arguments: [request.budget, now - Budget.longestWindow.totalMilliseconds])
            let uses = try Int64.fetchAll(
                db, sql: "SELECT used_at FROM budget_uses WHERE budget = ?", arguments: [request.budget])
            let window = request.window
            let earlier =
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM budget_uses WHERE run_id = ? AND step_id = ? AND budget = ?",
                    arguments: [request.runID, request.step, request.budget]) ?? false
            if earlier {
                return BudgetDecision(.granted(used: window.inWindow(uses, now: now).count), alreadyGranted: true)
            }
            let verdict = window.decide(uses: uses, now: now)
            if case .granted = verdict {
                try db.execute(
                    sql: "INSERT INTO budget_uses (budget, used_at, run_id, step_id) VALUES (?, ?, ?, ?)",
                    arguments: [request.budget, now, request.runID, request.step])
            }
            return BudgetDecision(verdict)
        }
    }

    public func budgetUses(since: Int64) async throws -> [BudgetUse] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT budget, used_at, run_id, step_id FROM budget_uses WHERE used_at > ?
                    ORDER BY used_at, budget
                    """,
                arguments: [since]
            ).map { BudgetUse(budget: $0["budget"], usedAt: $0["used_at"], runID: $0["run_id"], step: $0["step_id"]) }
        }
    }
}
