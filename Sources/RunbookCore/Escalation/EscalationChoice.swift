import RunbookYAML

/// Where a runbook's ladder comes from.
public enum EscalationChoice: Sendable, Equatable {
    /// `escalation:` as a list of rungs (an empty list: no escalation at all).
    case own
    /// `escalation: {policy: NAME}`.
    case policy(Located<String>)
    /// No `escalation:` key: rbx.yaml's `escalation.by_severity` or `escalation.default`, if any.
    case catalogDefault
}

extension StatusMessages {
    /// Whether the runbook declares no status message (and so takes its policy's).
    public var isEmpty: Bool { onStart == nil && onUpdate == nil && onResolved == nil }
}

extension Catalog {
    /// The runbook as a run for `alert` follows it: its ladder and status messages decided by
    /// ``EscalationPlan`` and written into the copy, so everything downstream reads
    /// `escalation` and `status` as before.
    public func runbook(named name: String, for alert: Alert) -> Runbook? {
        runbook(named: name).map { $0.planned(for: alert, config: config) }
    }
}

extension Runbook {
    public func planned(for alert: Alert, config: CatalogConfig) -> Runbook {
        let plan = EscalationPlan(for: self, alert: alert, config: config)
        var planned = self
        planned.escalation = plan.rungs
        planned.escalationChoice = .own
        planned.status = plan.status
        return planned
    }
}
