internal import RunbookYAML

extension CatalogLinter {
    /// Budgets count runs of something across runs, so their key must name the same thing in
    /// every run that should share the count; `on_budget_exhausted` needs a budget to follow.
    ///
    /// A step's key is rendered just before the step asks, so it may read the alert and earlier
    /// steps (its ordinary scope, checked with the step's other texts); a runbook's key is
    /// rendered when the run starts, before any step, so it is checked in `scope` (no steps).
    mutating func lintBudgets(of runbook: Runbook, scope: ReferenceScope) {
        if let budget = runbook.budget, let key = budget.key {
            check(key, in: scope, stepID: nil)
            checkBudgetKey(key, stepID: nil)
        }
        // By index: `for step in list` would copy every step to look at its budget.
        for list in [runbook.steps, runbook.onFailure, runbook.finally] {
            for index in list.indices {
                if let key = list[index].budget?.key { checkBudgetKey(key, stepID: list[index].id.value) }
            }
        }
        for step in runbook.onBudgetExhausted {
            guard let budget = step.budget else { continue }
            error(
                "budget-placement",
                "on_budget_exhausted is what runs once a budget is spent; a budget here would leave nothing to run "
                    + "when it is spent too",
                at: budget.location, stepID: step.id.value)
        }
        if !runbook.onBudgetExhausted.isEmpty, !runbook.hasBudget, let first = runbook.onBudgetExhausted.first {
            warning(
                "exhausted-without-budget",
                "on_budget_exhausted never runs: neither the runbook nor any of its steps has a budget",
                at: first.location, stepID: first.id.value)
        }
    }

    /// A key that differs in every run (`run.id`, `now`) gives every run a budget of its own:
    /// nothing is ever counted twice, so nothing is ever limited.
    private mutating func checkBudgetKey(_ key: InterpolatedText, stepID: String?) {
        for expression in key.interpolation.expressions {
            for path in expression.paths {
                let components = path.components
                let perRun =
                    components.first == "now"
                    || (components.first == "run" && Self.perRunFields.contains(components.dropFirst().first ?? ""))
                guard perRun else { continue }
                error(
                    "budget-key",
                    "budget key reads \(path), which differs in every run, so no two runs would share a count; "
                        + "count by what the runs have in common (\"{{alert.labels.service}}\")",
                    at: key.location(of: path), stepID: stepID)
            }
        }
    }

    private static let perRunFields: Set<String> = ["id", "started_at", "duration", "state", "failed_step"]
}
