internal import RunbookYAML

/// Escalation ladders, a runbook's own or a policy's: order, targets, templates, and what a
/// rung's `when` and a label-named target may read.
extension CatalogLinter {
    mutating func lintEscalation(_ rungs: [EscalationRung]) {
        var previous: EscalationRung?
        for rung in rungs {
            if let previous, rung.after <= previous.after {
                error(
                    "escalation-order",
                    "escalation rung after \(rung.after.runbookDescription) comes after a rung at "
                        + "\(previous.after.runbookDescription); order the ladder by time",
                    at: rung.location)
            }
            if let repeatEvery = rung.repeatEvery, repeatEvery <= .zero {
                error("range", "repeat must be longer than 0s", at: rung.location)
            }
            lintTargets(of: rung)
            if let template = rung.template { checkTemplate(template) }
            if let when = rung.when { lintRungCondition(when) }
            previous = rung
        }
    }

    /// Policies, `default` and `by_severity` in rbx.yaml.
    mutating func lintEscalationSettings() {
        let settings = config.escalation
        var seen: [String: SourceLocation] = [:]
        for policy in settings.policies {
            if let earlier = seen[policy.name.value] {
                error(
                    "duplicate-name", "escalation policy \"\(policy.name.value)\" is already defined at \(earlier)",
                    at: policy.name.location)
            }
            seen[policy.name.value] = policy.name.location
            if policy.rungs.isEmpty {
                warning(
                    "empty-policy", "escalation policy \"\(policy.name.value)\" has no rungs: it pages no one",
                    at: policy.location)
            }
            lintEscalation(policy.rungs)
            for message in policy.status.all {
                checkTemplate(message.template)
                for target in message.notify { checkNotifier(target) }
            }
        }
        if let name = settings.defaultPolicy { checkPolicy(name) }
        for entry in settings.bySeverity { checkPolicy(entry.policy) }
    }

    mutating func checkPolicy(_ name: Located<String>) {
        guard config.escalation.policy(named: name.value) == nil else { return }
        let names = config.escalation.policies.map(\.name.value)
        let hint =
            names.isEmpty
            ? "; declare it under escalation.policies in rbx.yaml" : Suggestion.didYouMean(name.value, in: names)
        error("unknown-policy", "unknown escalation policy \"\(name.value)\"" + hint, at: name.location)
    }

    /// Written targets must be declared notifiers. A label-named one (`team-{{ alert.labels.team }}`)
    /// is checked when the alert arrives; here: it reads only what an alert keeps, some declared
    /// notifier can carry its name, and a `fallback` says who is paged when the label names none.
    private mutating func lintTargets(of rung: EscalationRung) {
        var templated = false
        for target in rung.notify {
            guard EscalationRung.isTemplated(target.value) else {
                checkNotifier(target)
                continue
            }
            templated = true
            guard let interpolation = try? Interpolation.parse(target.value) else { continue }
            for path in interpolation.paths {
                if let problem = Self.rungScopeProblem(path) {
                    error("rung-scope", "notify \"\(target.value)\": \(problem)", at: target.location)
                }
            }
            let fixed = interpolation.segments.compactMap { segment -> String? in
                if case .text(let text) = segment { return text }
                return nil
            }
            if !notifierNames.contains(where: { name in fixed.allSatisfy { name.contains($0) } }) {
                warning(
                    "target-never-declared",
                    "notify \"\(target.value)\" can only name a declared notifier, and none contains "
                        + fixed.map { "\"\($0)\"" }.joined(separator: " and ") + "; every page goes to the fallback",
                    at: target.location)
            }
        }
        if templated && rung.fallback.isEmpty {
            error(
                "target-fallback",
                "escalation rung at \(rung.after.runbookDescription) names a notifier from alert labels; add "
                    + "fallback: [NOTIFIER] for alerts whose label names no declared notifier",
                at: rung.location)
        }
        if !templated, let first = rung.fallback.first {
            warning(
                "fallback-unused", "fallback only applies to a notify target named from alert labels",
                at: first.location)
        }
        for target in rung.fallback { checkNotifier(target) }
    }

    private mutating func lintRungCondition(_ condition: Condition) {
        let scope = ReferenceScope(
            owner: .runbook, steps: [:], allSteps: [], inputs: [], envAllow: envAllow)
        var outOfScope = false
        for path in condition.expression.paths {
            if let problem = Self.rungScopeProblem(path) {
                error("rung-scope", "when: \(problem)", at: condition.location(ofOffset: path.offset))
                outOfScope = true
            }
        }
        if !outOfScope { check(condition, in: scope, stepID: nil) }
    }

    /// A rung is decided when the run starts and must be the same for every timer after it, so
    /// it reads only the alert fields an alert keeps for its whole life.
    private static func rungScopeProblem(_ path: ExpressionPath) -> String? {
        let components = path.components
        if components.first == "alert", components.count >= 2, Alert.stableFields.contains(components[1]) {
            return nil
        }
        return "\(path) is not available to an escalation rung, which is decided from the alert when the run "
            + "starts; use alert.labels, alert.severity, alert.source or alert.name"
    }
}
