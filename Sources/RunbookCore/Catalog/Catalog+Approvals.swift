extension Catalog {
    /// The full ids of a runbook's approval steps, its own (`gate`) and those of the
    /// playbooks it calls (`CALLER.STEP`): the names a decision may use.
    public func approvalStepIDs(of runbook: Runbook) -> [String] {
        var ids: [String] = []
        func collect(_ steps: [Step], prefix: String, depth: Int) {
            for step in steps {
                if step.kind == .approval { ids.append(prefix + step.id.value) }
                if depth < 8, case .uses(let name, _) = step.action, let playbook = playbook(named: name.value) {
                    collect(playbook.steps, prefix: prefix + step.id.value + ".", depth: depth + 1)
                }
            }
        }
        collect(runbook.steps, prefix: "", depth: 0)
        return ids
    }
}
