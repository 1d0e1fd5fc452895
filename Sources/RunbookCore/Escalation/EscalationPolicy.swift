public import RunbookYAML

/// A named ladder in rbx.yaml (`escalation.policies`), shared by every runbook that chooses it,
/// so a team's paging order is written once and a change to it is reviewed once.
public struct EscalationPolicy: Sendable, Equatable {
    public var name: Located<String>
    public var rungs: [EscalationRung]
    /// Status messages for runbooks on this policy that declare no `status:` of their own.
    public var status: StatusMessages
    public var location: SourceLocation

    public init(
        name: Located<String>, rungs: [EscalationRung], status: StatusMessages = StatusMessages(),
        location: SourceLocation
    ) {
        self.name = name
        self.rungs = rungs
        self.status = status
        self.location = location
    }
}

/// `escalation:` in rbx.yaml: the policies, and which one a runbook without a ladder of its own
/// follows, by the alert's severity.
public struct EscalationSettings: Sendable, Equatable {
    public var policies: [EscalationPolicy] = []
    /// The policy for runbooks without `escalation:` when `bySeverity` names none.
    public var defaultPolicy: Located<String>?
    /// Canonical ladder level to policy name.
    public var bySeverity: [(severity: Located<String>, policy: Located<String>)] = []

    public init() {}

    public func policy(named name: String) -> EscalationPolicy? {
        policies.first { $0.name.value == name }
    }

    /// The policy a runbook following the catalog's default takes for an alert of `severity`.
    public func defaultPolicy(forSeverity severity: String?) -> Located<String>? {
        if let severity, let chosen = bySeverity.first(where: { $0.severity.value == severity }) {
            return chosen.policy
        }
        return defaultPolicy
    }

    public static func == (lhs: EscalationSettings, rhs: EscalationSettings) -> Bool {
        lhs.policies == rhs.policies && lhs.defaultPolicy == rhs.defaultPolicy
            && lhs.bySeverity.elementsEqual(rhs.bySeverity) { $0.severity == $1.severity && $0.policy == $1.policy }
    }
}
