import RunbookCore

extension BudgetRequest {
    /// What a person reads on the step that was not run, and in the timeline:
    /// `budget exhausted: 3 of 3 uses of restart for payments in the last 1h (next frees at
    /// 2026-12-07T10:42:07.000Z); not run`.
    public func exhaustedNote(used: Int, nextFreeAt: Int64) -> String {
        let what = step.isEmpty ? "runs of \(runbook)" : "uses of \(step)"
        let key = key.isEmpty ? "" : " for \(key)"
        return "budget exhausted: \(used) of \(max) \(what)\(key) in the last \(per.runbookDescription) "
            + "(next frees at \(RFC3339.format(epochMilliseconds: nextFreeAt))); not run"
    }

    /// `budget: use 2 of 3 of restart for payments in the last 1h`, for the timeline.
    public func grantedNote(used: Int, alreadyGranted: Bool) -> String {
        let key = key.isEmpty ? "" : " for \(key)"
        let again = alreadyGranted ? " (granted before the restart)" : ""
        return "budget: use \(used) of \(max)\(key) in the last \(per.runbookDescription)\(again)"
    }
}
