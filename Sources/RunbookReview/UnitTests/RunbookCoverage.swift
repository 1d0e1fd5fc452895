public import RunbookCore
import RunbookEngine
public import RunbookLifecycle

/// What the tests exercised of each runbook: steps that ran, both outcomes of every `when`
/// guard, and every escalation rung that fired.
public struct RunbookCoverage: Sendable {
    public var runbook: String
    public var file: String
    public var steps: [String]
    public var stepsRun: Set<String> = []
    /// Steps with a `when` guard.
    public var guarded: [String]
    public var guardsTrue: Set<String> = []
    public var guardsFalse: Set<String> = []
    /// Rung numbers, 1-based, with their `after`.
    public var rungs: [(number: Int, after: Duration)]
    public var rungsFired: Set<Int> = []
    public var tests = 0

    init(_ runbook: Runbook) {
        self.runbook = runbook.name
        file = runbook.file
        steps = runbook.steps.map(\.id.value)
        guarded = runbook.steps.filter { $0.when != nil }.map(\.id.value)
        rungs = runbook.escalation.enumerated().map { ($0.offset + 1, $0.element.after) }
    }

    static func empty(for catalog: Catalog) -> [RunbookCoverage] {
        catalog.runbooks.sorted { $0.name < $1.name }.map(RunbookCoverage.init)
    }

    mutating func record(_ run: RunRecord) {
        tests += 1
        let guarded = Set(self.guarded)
        for result in run.steps {
            if result.status == .skipped {
                if guarded.contains(result.id) { guardsFalse.insert(result.id) }
            } else {
                stepsRun.insert(result.id)
                if guarded.contains(result.id) { guardsTrue.insert(result.id) }
            }
        }
        for page in run.pages { rungsFired.insert(page.rung + 1) }
    }

    public var branchCount: Int { guarded.count * 2 }
    public var branchesCovered: Int { guardsTrue.count + guardsFalse.count }

    /// What no test reached, in words: `steps scale; branches restart=false; rungs 3 (1h)`.
    public var gaps: [String] {
        var gaps: [String] = []
        let steps = self.steps.filter { !stepsRun.contains($0) }
        if !steps.isEmpty { gaps.append("steps " + steps.joined(separator: ", ")) }
        var branches: [String] = []
        for step in guarded {
            if !guardsTrue.contains(step) { branches.append("\(step) when=true") }
            if !guardsFalse.contains(step) { branches.append("\(step) when=false") }
        }
        if !branches.isEmpty { gaps.append("branches " + branches.joined(separator: ", ")) }
        let rungs = self.rungs.filter { !rungsFired.contains($0.number) }
        if !rungs.isEmpty {
            gaps.append(
                "escalation "
                    + rungs.map { "rung \($0.number) (\($0.after.runbookDescription))" }.joined(separator: ", "))
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
