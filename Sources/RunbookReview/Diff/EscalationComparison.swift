import RunbookCore
import RunbookYAML

/// Compares the ladders two versions of a runbook follow (``EscalationPlan``): its own, or a
/// policy's from rbx.yaml, so a policy change is reported in every runbook that follows it.
/// Compared per severity the runbook can match; severities with the same changes are reported
/// together, and a change for all of them carries no severity at all.
struct EscalationComparison {
    var base: Runbook
    var head: Runbook
    var baseConfig: CatalogConfig
    var headConfig: CatalogConfig

    func findings() -> [DiffFinding] {
        var severities: [String?] = []
        for candidate in EscalationPlan.candidates(for: head, config: headConfig)
            + EscalationPlan.candidates(for: base, config: baseConfig)
        {
            for severity in candidate.severities where !severities.contains(severity) { severities.append(severity) }
        }
        var groups: [(severities: [String?], findings: [DiffFinding])] = []
        for severity in severities {
            let old = EscalationPlan(for: base, severity: severity, settings: baseConfig.escalation)
            let new = EscalationPlan(for: head, severity: severity, settings: headConfig.escalation)
            let findings = policyFindings(old, new) + pagingFindings(old.rungs, new.rungs)
            if let index = groups.firstIndex(where: { Self.same($0.findings, findings) }) {
                groups[index].severities.append(severity)
            } else {
                groups.append(([severity], findings))
            }
        }
        let changed = groups.filter { !$0.findings.isEmpty }
        if changed.count == 1 && groups.count == 1 { return changed[0].findings }
        return changed.flatMap { group in
            let names = group.severities.map { $0 ?? "unranked" }.joined(separator: ", ")
            return group.findings.map { finding in
                var finding = finding
                finding.message = "at \(names): " + finding.message
                return finding
            }
        }
    }

    private static func same(_ lhs: [DiffFinding], _ rhs: [DiffFinding]) -> Bool {
        lhs.map(\.message) == rhs.map(\.message)
    }

    private func policyFindings(_ old: EscalationPlan, _ new: EscalationPlan) -> [DiffFinding] {
        guard old.policy != new.policy else { return [] }
        func describe(_ plan: EscalationPlan) -> String {
            plan.policy.map { "escalation policy \($0)" } ?? (plan.rungs.isEmpty ? "no ladder" : "its own ladder")
        }
        return [
            DiffFinding(
                .escalation, .medium, "follows \(describe(new)) (before: \(describe(old)))",
                base: old.rungs.first?.location ?? base.match.location,
                head: new.rungs.first?.location ?? head.match.location)
        ]
    }

    /// The ladder in words per person: when each target is first paged, how often reminded.
    private struct Paging {
        var after: Duration
        var repeatEvery: Duration?
        var template: String?
        var when: String?
        var location: SourceLocation
    }

    private static func pagings(_ rungs: [EscalationRung]) -> [String: Paging] {
        var result: [String: Paging] = [:]
        // A fallback is paged only instead of a label-named target: it is its own entry.
        let targets = { (rung: EscalationRung) in
            rung.notify.map(\.value) + rung.fallback.map { "\($0.value) (as fallback)" }
        }
        for rung in rungs {
            for target in targets(rung)
            where result[target] == nil || rung.after < (result[target]?.after ?? .zero) {
                result[target] = Paging(
                    after: rung.after, repeatEvery: rung.repeatEvery, template: rung.template?.value,
                    when: rung.when?.text, location: rung.location)
            }
        }
        return result
    }

    private func pagingFindings(_ oldRungs: [EscalationRung], _ newRungs: [EscalationRung]) -> [DiffFinding] {
        let old = Self.pagings(oldRungs)
        let new = Self.pagings(newRungs)
        var findings: [DiffFinding] = []
        func add(_ risk: DiffRisk, _ message: String, _ before: SourceLocation?, _ after: SourceLocation?) {
            findings.append(
                DiffFinding(
                    .escalation, risk, message, base: before ?? base.match.location, head: after ?? head.match.location)
            )
        }
        for target in Set(old.keys).union(new.keys).sorted() {
            switch (old[target], new[target]) {
            case (let before?, nil):
                add(
                    .high, "\(target) is no longer paged (before: after \(before.after.runbookDescription))",
                    before.location, newRungs.first?.location)
            case (nil, let after?):
                add(
                    .low,
                    "\(target) is now paged after \(after.after.runbookDescription)"
                        + (after.when.map { " when \($0)" } ?? "") + " (before: never)",
                    oldRungs.first?.location, after.location)
            case (let before?, let after?):
                if before.after != after.after {
                    add(
                        after.after > before.after ? .high : .low,
                        "\(target) is now paged after \(after.after.runbookDescription) instead of "
                            + before.after.runbookDescription, before.location, after.location)
                }
                if before.repeatEvery != after.repeatEvery {
                    let message =
                        switch (before.repeatEvery, after.repeatEvery) {
                        case (nil, let every?):
                            "\(target) is now reminded every \(every.runbookDescription) (before: paged once)"
                        case (let every?, nil):
                            "\(target) is no longer reminded (before: every \(every.runbookDescription))"
                        default:
                            "\(target) is now reminded every \(after.repeatEvery?.runbookDescription ?? "") "
                                + "instead of \(before.repeatEvery?.runbookDescription ?? "")"
                        }
                    add(.medium, message, before.location, after.location)
                }
                if before.template != after.template {
                    add(
                        .low,
                        "\(target) is paged with template \(after.template ?? "(default text)") "
                            + "(before: \(before.template ?? "(default text)"))", before.location, after.location)
                }
                if before.when != after.when {
                    add(
                        after.when == nil ? .low : .high,
                        "\(target) is paged \(after.when.map { "only when \($0)" } ?? "for every alert") "
                            + "(before: \(before.when.map { "only when \($0)" } ?? "for every alert"))",
                        before.location, after.location)
                }
            case (nil, nil): break
            }
        }
        return findings
    }
}
