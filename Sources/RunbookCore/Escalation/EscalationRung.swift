public import RunbookYAML

/// One rung of an escalation ladder: who is paged how long after the run started.
public struct EscalationRung: Sendable, Equatable {
    public var after: Duration
    /// Notifier names; an entry may name one from the alert's labels
    /// (`team-{{ alert.labels.team }}`), used only when it renders to a declared notifier.
    public var notify: [Located<String>]
    public var repeatEvery: Duration?
    public var template: Located<String>?
    /// The rung applies only to alerts for which this holds (`alert.severity == "P1"`). It sees
    /// the alert's name, source, severity and labels, which a run's alert keeps for its whole
    /// life, so the ladder decided at the start is the ladder every later timer finds.
    public var when: Condition?
    /// Who is paged instead of a label-named target that is not a declared notifier.
    public var fallback: [Located<String>]
    public var location: SourceLocation

    public init(
        after: Duration, notify: [Located<String>], repeatEvery: Duration? = nil, template: Located<String>? = nil,
        when: Condition? = nil, fallback: [Located<String>] = [], location: SourceLocation
    ) {
        self.after = after
        self.notify = notify
        self.repeatEvery = repeatEvery
        self.template = template
        self.when = when
        self.fallback = fallback
        self.location = location
    }

    /// Whether a notify entry is named from alert data rather than written out.
    public static func isTemplated(_ target: String) -> Bool { Interpolation.hasOpening(target) }

    /// The rung as it applies to `alert`, or `nil` when its `when` does not hold. A templated
    /// target that renders to a name outside `declared` is replaced by the fallback (the label is
    /// alert data: it may only choose among the notifiers the catalog declares).
    public func applied(to alert: Alert, declared: Set<String>) -> EscalationRung? {
        let scope = AlertScope(alert: alert)
        if let when, !when.expression.isTrue(in: scope) { return nil }
        var targets: [Located<String>] = []
        var undeclared: [Located<String>] = []
        for target in notify {
            guard Self.isTemplated(target.value) else {
                targets.append(target)
                continue
            }
            let rendered = Located(
                (try? Interpolation.parse(target.value))?.render(in: scope) ?? "", at: target.location)
            if declared.contains(rendered.value) { targets.append(rendered) } else { undeclared.append(rendered) }
        }
        if !undeclared.isEmpty { targets += fallback }
        // Nobody left to page: keep the undeclared name, so the page fails where it is recorded
        // and the ladder's undelivered-page rule takes over, rather than vanishing.
        if targets.isEmpty { targets = undeclared }
        var applied = self
        applied.notify = targets.reduce(into: []) { unique, target in
            if !unique.contains(where: { $0.value == target.value }) { unique.append(target) }
        }
        applied.when = nil
        return applied
    }
}
