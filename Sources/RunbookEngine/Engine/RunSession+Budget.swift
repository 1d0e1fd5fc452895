import Logging
import RunbookCore
import RunbookLifecycle

extension RunSession {
    /// The ledger this run asks: in memory from the drill's assumptions in drills, the one the
    /// caller gave (the server's store) in live runs, else one of its own.
    static func ledger(for options: RunOptions, drillStart: Double?) -> any BudgetLedger {
        if let drill = options.drill {
            let start = Int64(((drillStart ?? 0) * 1000).rounded(.down))
            return InMemoryBudgetLedger(now: { start }, assumed: drill.assumedBudgets)
        }
        return options.budgets ?? InMemoryBudgetLedger(now: InMemoryBudgetLedger.wallClock)
    }

    /// Asks for one use of `budget` before a budgeted step (or, with `step` nil, the run) goes
    /// ahead. Returns nil to go ahead, or the note saying why not: the budget is exhausted, or
    /// the ledger could not answer (a use that cannot be counted is not taken).
    ///
    /// A dry run asks nothing and counts nothing. An exhausted budget in a runbook without
    /// `on_budget_exhausted` brings the next rung forward at once.
    func askBudget(_ budget: Budget, step: Step?) async -> String? {
        let stepID = step?.id.value ?? ""
        let subject = step.map { "\($0.id.value) " } ?? ""
        if options.isDryRun {
            record(
                .step, "\(subject)would use a budget of \(budget.summary); a dry run counts nothing",
                step: step?.id.value)
            return nil
        }
        let key = budget.key.map { redactor.redact(render($0)) } ?? ""
        let request = BudgetRequest(
            budget: Budget.identity(runbook: runbook.name, step: step?.id.value, key: key), runbook: runbook.name,
            step: stepID, key: key, max: budget.max, per: budget.per, runID: options.runID)
        let decision: BudgetDecision
        do {
            decision = try await budgetLedger.use(request)
        } catch {
            options.logger?.error(
                "budget could not be checked",
                metadata: [
                    "run.id": .string(options.runID), "runbook": .string(runbook.name), "step.id": .string(stepID),
                    "budget": .string(request.budget), "error": .string("\(error)"),
                ])
            let note = "budget could not be checked (the ledger did not answer); not run"
            record(.step, subject + note, step: step?.id.value)
            return note
        }
        budgetAnswers[step?.id.value ?? InMemoryBudgetLedger.runbookKey] = decision.granted
        switch decision.verdict {
        case .granted(let used):
            record(
                .step, subject + request.grantedNote(used: used, alreadyGranted: decision.alreadyGranted),
                step: step?.id.value)
            return nil
        case .exhausted(let used, let nextFreeAt):
            let note = request.exhaustedNote(used: used, nextFreeAt: nextFreeAt)
            record(.step, subject + note, step: step?.id.value)
            options.logger?.warning(
                "budget exhausted",
                metadata: [
                    "run.id": .string(options.runID), "runbook": .string(runbook.name), "step.id": .string(stepID),
                    "budget": .string(request.budget),
                ])
            budgetExhausted = note
            if runbook.onBudgetExhausted.isEmpty { await escalateNow() }
            return note
        }
    }

    /// Brings the next rung forward to now: in the run's own agenda, or (timers kept by a
    /// server's store) through the observer.
    private func escalateNow() async {
        let actions = lifecycle.budgetExhausted(at: now)
        await apply(actions)
        // The run's own agenda: page now, not when the steps next look at the time.
        guard options.timers == .external else { return await fireDue() }
        for case .bringForward(let rung, _) in actions {
            _ = await observe { try await $0.escalationBroughtForward(rung: rung) }
        }
    }
}
