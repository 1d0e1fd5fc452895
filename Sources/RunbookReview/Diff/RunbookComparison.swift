import RunbookCore
import RunbookYAML

/// Compares two versions of one runbook: its match and run-wide settings, steps, escalation
/// ladder and status messages. Playbook changes and rendered text are added by
/// ``CatalogDiffer``, which sees both catalogs.
struct RunbookComparison {
    var base: Runbook
    var head: Runbook
    /// The catalogs' settings, for what a runbook takes from rbx.yaml (escalation policies).
    var baseConfig = CatalogConfig()
    var headConfig = CatalogConfig()

    func findings() -> [DiffFinding] {
        matchFindings() + StepComparison(scope: "step").compare(base: base.steps, head: head.steps)
            + StepComparison(scope: "on_failure step").compare(base: base.onFailure, head: head.onFailure)
            + StepComparison(scope: "finally step").compare(base: base.finally, head: head.finally)
            + StepComparison(scope: "on_budget_exhausted step").compare(
                base: base.onBudgetExhausted, head: head.onBudgetExhausted)
            + BudgetComparison(name: "runbook \(head.name)").findings(from: base.budget, to: head.budget).map {
                finding(.steps, $0.risk, $0.message, base.budget?.location, head.budget?.location)
            }
            + resolutionFindings()
            + EscalationComparison(base: base, head: head, baseConfig: baseConfig, headConfig: headConfig).findings()
            + statusFindings()
    }

    private func finding(
        _ area: DiffFinding.Area, _ risk: DiffRisk, _ message: String, _ old: SourceLocation?, _ new: SourceLocation?
    ) -> DiffFinding {
        DiffFinding(area, risk, message, base: old ?? base.match.location, head: new ?? head.match.location)
    }

    private func matchFindings() -> [DiffFinding] {
        var findings: [DiffFinding] = []
        let old = base.match
        let new = head.match
        let oldSources = old.sources.map(\.pattern)
        let newSources = new.sources.map(\.pattern)
        if oldSources != newSources {
            findings.append(
                finding(
                    .match, .medium,
                    "match.source is \(Self.list(newSources, empty: "any source")) (before: \(Self.list(oldSources, empty: "any source")))",
                    old.location, new.location))
        }
        if old.severity?.description != new.severity?.description || old.severity?.ranks != new.severity?.ranks {
            findings.append(
                finding(
                    .match, .medium,
                    "match.severity is \(new.severity?.description ?? "any") (before: \(old.severity?.description ?? "any"))",
                    old.location, new.location))
        }
        let oldLabels = old.labels.map(\.description).sorted()
        let newLabels = new.labels.map(\.description).sorted()
        if oldLabels != newLabels {
            findings.append(
                finding(
                    .match, .medium,
                    "match.labels are {\(newLabels.joined(separator: ", "))} (before: {\(oldLabels.joined(separator: ", "))})",
                    old.location, new.location))
        }
        if base.priority != head.priority {
            findings.append(
                finding(
                    .match, .medium,
                    "priority \(head.priority) (before: \(base.priority)); it decides which runbook wins when several match",
                    nil, nil))
        }
        findings += keyChange("concurrency key", \.concurrency, none: "none")
        if base.cooldown != head.cooldown {
            findings.append(
                finding(
                    .match, .medium,
                    "cooldown \(head.cooldown?.runbookDescription ?? "default") (before: \(base.cooldown?.runbookDescription ?? "default")): repeats of an alert within it start no new run",
                    nil, nil))
        }
        findings += keyChange("cooldown counted by", \.cooldownKey, none: "the alert's fingerprint")
        if base.dedupWindow != head.dedupWindow {
            findings.append(
                finding(
                    .match, .medium,
                    "dedup window \(head.dedupWindow?.runbookDescription ?? "default") (before: \(base.dedupWindow?.runbookDescription ?? "default")): repeats within it are occurrences, not new alerts",
                    nil, nil))
        }
        if base.schedule?.value.text != head.schedule?.value.text {
            let shown = { (schedule: Located<Schedule>?) in schedule.map { "\"\($0.value.text)\"" } ?? "none" }
            // Starting or stopping runs nobody asked for is as risky as a new remediation.
            findings.append(
                finding(
                    .match, head.schedule == nil || base.schedule == nil ? .high : .medium,
                    "schedule \(shown(head.schedule)) (before: \(shown(base.schedule))): it runs at each tick without an "
                        + "alert; a changed schedule starts counting ticks afresh", base.schedule?.location,
                    head.schedule?.location))
        }
        return findings
    }

    /// A rendered key (`concurrency`, `cooldown_key`) written differently.
    private func keyChange(
        _ what: String, _ key: KeyPath<Runbook, InterpolatedText?>, none: String
    ) -> [DiffFinding] {
        let (old, new) = (base[keyPath: key], head[keyPath: key])
        guard old?.text != new?.text else { return [] }
        let shown = { (text: InterpolatedText?) in text.map { "\"\($0.text)\"" } ?? none }
        return [finding(.match, .medium, "\(what) \(shown(new)) (before: \(shown(old)))", old?.location, new?.location)]
    }

    private func resolutionFindings() -> [DiffFinding] {
        let old = base.resolvedWhen.map { "\($0.expression)" }
        let new = head.resolvedWhen.map { "\($0.expression)" }
        guard old != new else { return [] }
        return [
            finding(
                .steps, .medium,
                "the run now counts as resolved when \(new ?? "the alert resolves (no resolved_when)") (before: \(old ?? "the alert resolves (no resolved_when)"))",
                base.resolvedWhen?.location, head.resolvedWhen?.location)
        ]
    }

    private func statusFindings() -> [DiffFinding] {
        let pairs: [(String, StatusMessage?, StatusMessage?)] = [
            ("on_start", base.status.onStart, head.status.onStart),
            ("on_update", base.status.onUpdate, head.status.onUpdate),
            ("on_resolved", base.status.onResolved, head.status.onResolved),
        ]
        var findings: [DiffFinding] = []
        for (trigger, old, new) in pairs {
            switch (old, new) {
            case (let before?, nil):
                findings.append(
                    DiffFinding(
                        .status, .medium,
                        "status \(trigger) is no longer published (before: template \(before.template.value))",
                        base: before.location))
            case (nil, let after?):
                findings.append(
                    DiffFinding(
                        .status, .low,
                        "status \(trigger) is now published with template \(after.template.value), state \(after.state.rawValue)",
                        head: after.location))
            case (let before?, let after?):
                var changes: [String] = []
                if before.template.value != after.template.value {
                    changes.append("template \(after.template.value) (before: \(before.template.value))")
                }
                if before.state != after.state {
                    changes.append("state \(after.state.rawValue) (before: \(before.state.rawValue))")
                }
                if before.every != after.every {
                    changes.append(
                        "every \(after.every?.runbookDescription ?? "-") (before: \(before.every?.runbookDescription ?? "-"))"
                    )
                }
                let oldNotify = before.notify.map(\.value)
                let newNotify = after.notify.map(\.value)
                if oldNotify != newNotify {
                    changes.append(
                        "sent to \(Self.list(newNotify, empty: "nobody")) (before: \(Self.list(oldNotify, empty: "nobody")))"
                    )
                }
                if !changes.isEmpty {
                    let risk: DiffRisk = Set(oldNotify).subtracting(newNotify).isEmpty ? .low : .medium
                    findings.append(
                        DiffFinding(
                            .status, risk, "status \(trigger): " + changes.joined(separator: ", "),
                            base: before.location, head: after.location))
                }
            case (nil, nil): break
            }
        }
        return findings
    }

    static func list(_ items: [String], empty: String) -> String {
        items.isEmpty ? empty : items.joined(separator: ", ")
    }
}
