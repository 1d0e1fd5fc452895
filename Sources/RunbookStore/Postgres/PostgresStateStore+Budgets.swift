import PostgresNIO
import RunbookCore
public import RunbookLifecycle

extension PostgresStateStore {
    static let budgetLockClass: Int32 = 0x7262_7803

    /// One transaction under a transaction-scoped advisory lock on the budget: replicas asking
    /// for the same budget at once take turns, so each counts the uses the one before added,
    /// and exactly `max` are granted. Other budgets are not held up.
    public func useBudget(_ request: BudgetRequest, claim: Claim?, now: Int64) async throws -> BudgetDecision {
        let budget = request.budget
        return try await transaction("use budget \(budget)") { connection -> BudgetDecision in
            if let claim { try await self.fence(claim, "use budget \(budget)", on: connection) }
            try await self.execute(
                "SELECT pg_advisory_xact_lock(\(Self.budgetLockClass), hashtext(\(budget)))", on: connection)
            let oldest = now - Budget.longestWindow.totalMilliseconds
            try await self.execute(
                "DELETE FROM budget_uses WHERE budget = \(budget) AND used_at <= \(oldest)", on: connection)
            let rows = try await self.rows(
                "SELECT used_at, run_id, step_id FROM budget_uses WHERE budget = \(budget)", on: connection)
            var uses: [Int64] = []
            var earlier = false
            for row in rows {
                uses.append(try row.value("used_at"))
                let runID: String = try row.value("run_id")
                let step: String = try row.value("step_id")
                if runID == request.runID && step == request.step { earlier = true }
            }
            let window = request.window
            if earlier {
                return BudgetDecision(.granted(used: window.inWindow(uses, now: now).count), alreadyGranted: true)
            }
            let verdict = window.decide(uses: uses, now: now)
            if case .granted = verdict {
                try await self.execute(
                    """
                    INSERT INTO budget_uses (budget, used_at, run_id, step_id)
                    VALUES (\(budget), \(now), \(request.runID), \(request.step))
                    """, on: connection)
            }
            return BudgetDecision(verdict)
        }
    }

    public func budgetUses(since: Int64) async throws -> [BudgetUse] {
        try await statement(
            "read budget uses",
            """
            SELECT budget, used_at, run_id, step_id FROM budget_uses WHERE used_at > \(since)
            ORDER BY used_at, budget
            """
        ).map { row in
            BudgetUse(
                budget: try row.value("budget"), usedAt: try row.value("used_at"), runID: try row.value("run_id"),
                step: try row.value("step_id"))
        }
    }
}
