internal import RunbookYAML

extension DocumentDecoder {
    /// `escalation:` in rbx.yaml: `policies` (each `rungs` and optional `status`), `default`,
    /// and `by_severity` (ladder level or alias → policy; aliases are stored as their level).
    mutating func escalationSettings(_ node: YAMLNode?, ladder: SeverityLadder) -> EscalationSettings {
        var settings = EscalationSettings()
        guard let node, let fields = fields(node, allowed: FormatKeys.configEscalation, in: "escalation") else {
            return settings
        }
        for (name, policyNode) in stringMap(fields["policies"], "escalation.policies") ?? [] {
            let what = "escalation.policies.\(name.value)"
            if !Self.isName(name.value) {
                error(
                    "name", "\(what): \"\(name.value)\" is not a valid name; use lowercase letters, digits and hyphens",
                    at: name.location)
            }
            guard let policy = self.fields(policyNode, allowed: FormatKeys.escalationPolicy, in: what) else { continue }
            let rungs = escalation(required(policy, "rungs"), in: "\(what).rungs")
            settings.policies.append(
                EscalationPolicy(
                    name: name, rungs: rungs, status: statusMessages(policy["status"]), location: policyNode.location))
        }
        settings.defaultPolicy = self.name(fields["default"], "escalation.default")
        for (severity, policyNode) in stringMap(fields["by_severity"], "escalation.by_severity") ?? [] {
            guard let policy = self.name(policyNode, "escalation.by_severity.\(severity.value)") else { continue }
            guard let level = ladder.level(of: severity.value) else {
                error(
                    "unknown-level",
                    "escalation.by_severity: \"\(severity.value)\" is not a level of the severity ladder "
                        + "(\(ladder.levels.joined(separator: ", ")))"
                        + Suggestion.didYouMean(severity.value, in: ladder.allNames),
                    at: severity.location)
                continue
            }
            if settings.bySeverity.contains(where: { $0.severity.value == level }) {
                error(
                    "duplicate-level",
                    "escalation.by_severity names \(level) twice (\"\(severity.value)\" is \(level))",
                    at: severity.location)
                continue
            }
            settings.bySeverity.append((Located(level, at: severity.location), policy))
        }
        return settings
    }
}
