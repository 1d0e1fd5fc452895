import RunbookCore

/// How a budget changed between two versions of a step or runbook, and how much it matters:
/// a budget removed or loosened (more uses, a shorter window) lets a remediation repeat more
/// before a person is paged, so it is high risk; a tightened or added one is low.
struct BudgetComparison {
    /// `step restart`, or `runbook high-cpu`.
    var name: String

    func findings(from old: Budget?, to new: Budget?) -> [(risk: DiffRisk, message: String)] {
        switch (old, new) {
        case (nil, nil): return []
        case (nil, let added?):
            return [(.low, "\(name) has a budget now: \(added.summary)")]
        case (let removed?, nil):
            return [(.high, "\(name) has no budget any more (before: \(removed.summary)): it may run without limit")]
        case (let before?, let after?):
            var findings: [(DiffRisk, String)] = []
            if before.max != after.max || before.per != after.per {
                let loosened = after.max > before.max || after.per < before.per
                findings.append(
                    (
                        loosened ? .high : .low,
                        "\(name) budget \(loosened ? "loosened" : "tightened"): "
                            + "\(after.max) per \(after.per.runbookDescription) "
                            + "(before: \(before.max) per \(before.per.runbookDescription))"
                    ))
            }
            if before.key?.text != after.key?.text {
                findings.append(
                    (
                        .medium,
                        "\(name) budget is counted by \(after.key.map { $0.text } ?? "nothing (one budget for all alerts)")"
                            + " (before: \(before.key.map { $0.text } ?? "nothing"))"
                    ))
            }
            return findings
        }
    }
}
