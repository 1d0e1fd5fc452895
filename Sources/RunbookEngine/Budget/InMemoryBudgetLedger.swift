import Foundation
public import RunbookLifecycle

/// A ledger that lives as long as the process: for `rbx run` (no store), drills and `rbx test`.
///
/// A drill or test may say how many uses a step's budget already had (`budgets: {restart: 3}`,
/// `--assume-budget restart=3`): they are taken as uses at the moment the budget is first asked
/// for, so `used: 3` of `max: 3` rehearses the exhausted path.
public actor InMemoryBudgetLedger: BudgetLedger {
    private let now: @Sendable () -> Int64
    /// Assumed earlier uses by step id (`_runbook` for the runbook's own budget), not yet placed.
    private var assumed: [String: Int]
    private var uses: [String: [BudgetUse]] = [:]

    /// The key of ``assumed`` that names the runbook's own budget.
    public static let runbookKey = "_runbook"

    /// - Parameters:
    ///   - now: epoch milliseconds; a drill passes its (virtual) start.
    ///   - assumed: uses already in the window, by step id.
    public init(now: @escaping @Sendable () -> Int64, assumed: [String: Int] = [:]) {
        self.now = now
        self.assumed = assumed
    }

    public func use(_ request: BudgetRequest) async throws -> BudgetDecision {
        let time = now()
        let name = request.step.isEmpty ? Self.runbookKey : request.step
        if let count = assumed.removeValue(forKey: name), count > 0 {
            uses[request.budget, default: []] += (0..<count).map { index in
                BudgetUse(budget: request.budget, usedAt: time, runID: "assumed-\(index)", step: request.step)
            }
        }
        let recorded = uses[request.budget] ?? []
        let window = request.window
        if recorded.contains(where: { $0.runID == request.runID && $0.step == request.step }) {
            return BudgetDecision(
                .granted(used: window.inWindow(recorded.map(\.usedAt), now: time).count), alreadyGranted: true)
        }
        let verdict = window.decide(uses: recorded.map(\.usedAt), now: time)
        if case .granted = verdict {
            uses[request.budget, default: []].append(
                BudgetUse(budget: request.budget, usedAt: time, runID: request.runID, step: request.step))
        }
        return BudgetDecision(verdict)
    }
}

extension InMemoryBudgetLedger {
    /// The wall clock in epoch milliseconds, for a live run without a store.
    public static let wallClock: @Sendable () -> Int64 = {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }
}
