import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookYAML

/// What the tests exercised of each runbook: steps that ran (a called playbook's steps too, as
/// `call.step`), both outcomes of every `when` guard that can take both, and every escalation
/// rung that fired. A guard that can never hold (``GuardReachability``) has one branch only.
public struct RunbookCoverage: Sendable {
    public var runbook: String
    public var file: String
    public var steps: [String]
    public var stepsRun: Set<String> = []
    /// Steps with a `when` guard.
    public var guarded: [String]
    /// Guarded steps whose guard can never hold: their `when=true` branch is not counted.
    public var neverTrue: Set<String> = []
    public var guardsTrue: Set<String> = []
    public var guardsFalse: Set<String> = []
    /// Rung numbers, 1-based, with their `after`: every rung of every ladder the runbook can
    /// follow (``EscalationPlan/allRungs(of:config:)``), told apart by where they are written.
    public var rungs: [(number: Int, after: Duration)]
    private var rungLocations: [SourceLocation] = []
    /// `rung 2`, or `critical rung 2` for a policy's rung.
    private var rungNames: [String] = []
    public var rungsFired: Set<Int> = []
    /// Budgeted steps (`_runbook` for the runbook's own budget): each has two branches, a use
    /// granted and the budget exhausted.
    public var budgeted: [String] = []
    public var budgetsGranted: Set<String> = []
    public var budgetsExhausted: Set<String> = []
    public var tests = 0

    init(_ runbook: Runbook, catalog: Catalog) {
        self.runbook = runbook.name
        file = runbook.file
        var steps: [String] = []
        var guarded: [String] = []
        var neverTrue: Set<String> = []
        // A playbook cycle is a lint error; the depth bound keeps coverage from following one.
        func walk(_ list: [Step], prefix: String, depth: Int) {
            for (index, step) in list.enumerated() {
                let id = prefix + step.id.value
                steps.append(id)
                if let when = step.when {
                    guarded.append(id)
                    if GuardReachability.impossiblePath(in: when, after: Array(list[..<index])) != nil {
                        neverTrue.insert(id)
                    }
                }
                if case .uses(let name, _) = step.action, depth < 8, let playbook = catalog.playbook(named: name.value)
                {
                    walk(playbook.allSteps, prefix: id + ".", depth: depth + 1)
                }
            }
        }
        walk(runbook.allSteps, prefix: "", depth: 0)
        budgeted =
            (runbook.budget == nil ? [] : [InMemoryBudgetLedger.runbookKey])
            + runbook.allSteps.filter { $0.budget != nil }.map(\.id.value)
        self.steps = steps
        self.guarded = guarded
        self.neverTrue = neverTrue
        rungs = []
        for candidate in EscalationPlan.candidates(for: runbook, config: catalog.config) {
            for (index, rung) in candidate.plan.rungs.enumerated() where !rungLocations.contains(rung.location) {
                rungs.append((rungs.count + 1, rung.after))
                rungLocations.append(rung.location)
                rungNames.append((candidate.plan.policy.map { "\($0) " } ?? "") + "rung \(index + 1)")
            }
        }
    }

    static func empty(for catalog: Catalog) -> [RunbookCoverage] {
        catalog.runbooks.sorted { $0.name < $1.name }.map { RunbookCoverage($0, catalog: catalog) }
    }

    mutating func record(_ run: RunRecord) {
        tests += 1
        let guarded = Set(self.guarded)
        func walk(_ results: [StepResult], prefix: String) {
            for result in results {
                let id = prefix + result.id
                if result.status == .skipped {
                    if guarded.contains(id) { guardsFalse.insert(id) }
                } else {
                    stepsRun.insert(id)
                    if guarded.contains(id) { guardsTrue.insert(id) }
                }
                walk(result.children, prefix: id + ".")
            }
        }
        walk(run.steps, prefix: "")
        for (name, granted) in run.budgetAnswers {
            if granted { budgetsGranted.insert(name) } else { budgetsExhausted.insert(name) }
        }
        // A run's ladder is its plan for the alert (``EscalationPlan``): its rung numbers are its own.
        for page in run.pages where run.runbook.escalation.indices.contains(page.rung) {
            let location = run.runbook.escalation[page.rung].location
            if let index = rungLocations.firstIndex(of: location) { rungsFired.insert(index + 1) }
        }
    }

    public var branchCount: Int { guarded.count * 2 - neverTrue.count + budgeted.count * 2 }
    public var branchesCovered: Int {
        guardsTrue.subtracting(neverTrue).count + guardsFalse.count
            + budgetsGranted.intersection(budgeted).count + budgetsExhausted.intersection(budgeted).count
    }

    /// What no test reached, in words: `steps scale; branches restart=false; rungs 3 (1h)`.
    public var gaps: [String] {
        var gaps: [String] = []
        let steps = self.steps.filter { !stepsRun.contains($0) }
        if !steps.isEmpty { gaps.append("steps " + steps.joined(separator: ", ")) }
        var branches: [String] = []
        for step in guarded {
            if !guardsTrue.contains(step) && !neverTrue.contains(step) { branches.append("\(step) when=true") }
            if !guardsFalse.contains(step) { branches.append("\(step) when=false") }
        }
        for step in budgeted {
            if !budgetsGranted.contains(step) { branches.append("\(step) budget=granted") }
            if !budgetsExhausted.contains(step) { branches.append("\(step) budget=exhausted") }
        }
        if !branches.isEmpty { gaps.append("branches " + branches.joined(separator: ", ")) }
        let rungs = self.rungs.filter { !rungsFired.contains($0.number) }
        if !rungs.isEmpty {
            gaps.append(
                "escalation "
                    + rungs.map { "\(rungNames[$0.number - 1]) (\($0.after.runbookDescription))" }.joined(
                        separator: ", "))
        }
        return gaps
    }
}

extension [RunbookCoverage] {
    mutating func record(_ run: RunRecord) {
        guard let index = firstIndex(where: { $0.runbook == run.runbook.name }) else { return }
        self[index].record(run)
    }
}
