import RunbookYAML

/// The ladder and status messages one run follows: the single rule every caller (drills,
/// `rbx run`, the server's runs and timers, docs, diff, coverage) asks.
public struct EscalationPlan: Sendable, Equatable {
    /// The policy followed, or `nil` for the runbook's own ladder (or none).
    public var policy: String?
    public var rungs: [EscalationRung]
    public var status: StatusMessages

    /// The plan for alerts of `severity`, before any rung's `when` is applied.
    public init(for runbook: Runbook, severity: String?, settings: EscalationSettings) {
        let name: String?
        switch runbook.escalationChoice {
        case .own: name = nil
        case .policy(let chosen): name = chosen.value
        case .catalogDefault: name = settings.defaultPolicy(forSeverity: severity)?.value
        }
        let policy = name.flatMap(settings.policy(named:))
        self.policy = policy?.name.value
        rungs = policy?.rungs ?? (runbook.escalationChoice == .own ? runbook.escalation : [])
        status = runbook.status.isEmpty ? policy?.status ?? runbook.status : runbook.status
    }

    /// The plan for one alert: rungs whose `when` fails for it dropped, label-named targets
    /// resolved among the declared notifiers.
    /// A schedule's tick opens no incident: its run follows no ladder and sends no status
    /// messages (it pages through `notify` steps, or raises an alert whose runbook escalates).
    public init(for runbook: Runbook, alert: Alert, config: CatalogConfig) {
        self.init(for: runbook, severity: alert.severity, settings: config.escalation)
        if alert.tick != nil || runbook.isCheck {
            rungs = []
            status = StatusMessages()
            return
        }
        let declared = Set(config.notifiers.map(\.name.value))
        rungs = rungs.compactMap { $0.applied(to: alert, declared: declared) }
    }
}

extension EscalationPlan {
    /// The plans a runbook can follow, one per group of severities it matches that share one
    /// (`nil` severity: alerts the ladder does not rank, when the runbook matches any severity);
    /// for docs, diff and coverage, which have no alert at hand.
    public static func candidates(
        for runbook: Runbook, config: CatalogConfig
    ) -> [(severities: [String?], plan: EscalationPlan)] {
        let ladder = config.severity.levels
        var severities: [String?] = ladder.indices.filter { runbook.match.severity?.matches(rank: $0) ?? true }
            .map { ladder[$0] }
        if runbook.match.severity == nil { severities.append(nil) }
        var groups: [(severities: [String?], plan: EscalationPlan)] = []
        for severity in severities {
            let plan = EscalationPlan(for: runbook, severity: severity, settings: config.escalation)
            if let index = groups.firstIndex(where: { $0.plan == plan }) {
                groups[index].severities.append(severity)
            } else {
                groups.append(([severity], plan))
            }
        }
        return groups
    }

    /// Every rung any of the runbook's plans has, once each, in ladder order.
    public static func allRungs(of runbook: Runbook, config: CatalogConfig) -> [EscalationRung] {
        var rungs: [EscalationRung] = []
        for candidate in candidates(for: runbook, config: config) {
            for rung in candidate.plan.rungs where !rungs.contains(where: { $0.location == rung.location }) {
                rungs.append(rung)
            }
        }
        return rungs
    }
}
