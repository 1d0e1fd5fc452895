extension Catalog {
    /// The full ids of a runbook's approval steps, its own (`gate`) and those of the
    /// playbooks it calls (`CALLER.STEP`): the names a decision may use.
    public func approvalStepIDs(of runbook: Runbook) -> [String] { approvalSteps(of: runbook).map(\.id) }

    /// A runbook's approval steps by full id, for showing who may decide one.
    public func approvalSteps(of runbook: Runbook) -> [(id: String, step: Step)] {
        var found: [(id: String, step: Step)] = []
        func collect(_ steps: [Step], prefix: String, depth: Int) {
            for step in steps {
                if step.kind == .approval { found.append((prefix + step.id.value, step)) }
                if depth < 8, case .uses(let name, _) = step.action, let playbook = playbook(named: name.value) {
                    collect(playbook.allSteps, prefix: prefix + step.id.value + ".", depth: depth + 1)
                }
            }
        }
        collect(runbook.allSteps, prefix: "", depth: 0)
        return found
    }
}
