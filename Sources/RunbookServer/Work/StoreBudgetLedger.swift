import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// The server's budget ledger: the store every replica shares, asked under the run's claim (a
/// worker that lost its run spends no budget), at the server's clock. Counts each answer in the
/// metrics. A failed ask is retried briefly, as the run's other writes are.
struct StoreBudgetLedger: BudgetLedger {
    var claim: Claim
    var dependencies: ServerDependencies

    func use(_ request: BudgetRequest) async throws -> BudgetDecision {
        var delays = StoreRunObserver.retryDelays[...]
        while true {
            do {
                let decision = try await dependencies.store.useBudget(
                    request, claim: claim, now: dependencies.clock.milliseconds)
                if !decision.alreadyGranted {
                    dependencies.metrics.budgetAsked(
                        runbook: request.runbook, step: request.step, granted: decision.granted)
                }
                return decision
            } catch let lost as ClaimLost {
                throw lost
            } catch {
                guard let delay = delays.popFirst(), !Task.isCancelled else { throw error }
                try await dependencies.clock.sleep(for: delay)
            }
        }
    }
}
