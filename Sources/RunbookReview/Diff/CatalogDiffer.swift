import Foundation
public import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookYAML

/// Compares two loaded catalogs and reports what will happen differently when alerts fire.
///
/// Comparing loaded models, not YAML text, is what makes the report trustworthy: key order,
/// comments, anchors and quoting change nothing; a playbook or template change shows up in
/// every runbook that uses it; and rendered messages come from the drill engine itself.
public struct CatalogDiffer: Sendable {
    public var base: Catalog
    public var head: Catalog

    public init(base: Catalog, head: Catalog) {
        self.base = base
        self.head = head
    }

    /// - Parameter progress: told `(done, total)` after each runbook name is compared (a changed
    ///   runbook's messages are drilled on both sides, the slow part on a large change).
    public func diff(
        baseLabel: String, headLabel: String, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> CatalogDiffReport {
        let changedTemplates = Set(base.templates.map(\.name) + head.templates.map(\.name)).filter {
            base.template(named: $0)?.text != head.template(named: $0)?.text
        }
        let playbookFindings = playbookChanges()
        let knownAlerts = (base: catalogAlerts(base), head: catalogAlerts(head))
        var diffs: [RunbookDiff] = []
        // By name once: looking each name up in the list is quadratic in the catalog's size.
        let baseByName = Dictionary(base.runbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let headByName = Dictionary(head.runbooks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Set(baseByName.keys).union(headByName.keys).sorted()
        for (index, name) in names.enumerated() {
            defer { progress?(index + 1, names.count) }
            switch (baseByName[name], headByName[name]) {
            case (let old?, nil):
                diffs.append(
                    RunbookDiff(
                        name: name, change: .removed, base: old.metadata.name.location, head: nil,
                        findings: [
                            DiffFinding(
                                .match, .high,
                                "runbook removed: alerts it answered go to another runbook or to none (see routing)",
                                base: old.metadata.name.location)
                        ]))
            case (nil, let new?):
                let acts = new.steps.contains { $0.kind == .remediation || $0.kind == .raise }
                let what =
                    new.isCheck
                    ? "new check with \(new.steps.count) steps (\(Self.kinds(new))), running \(new.schedule?.value.text ?? "")"
                    : "new runbook with \(new.steps.count) steps (\(Self.kinds(new))), matching \(Self.describe(new.match))"
                        + (new.schedule.map { " and running \($0.value.text)" } ?? "")
                diffs.append(
                    RunbookDiff(
                        name: name, change: .added, base: nil, head: new.metadata.name.location,
                        findings: [DiffFinding(.match, acts ? .high : .medium, what, head: new.metadata.name.location)]
                    ))
            case (let old?, let new?):
                var findings = RunbookComparison(
                    base: old, head: new, baseConfig: base.config, headConfig: head.config
                ).findings()
                for step in new.allSteps {
                    guard case .uses(let playbook, _) = step.action, let changes = playbookFindings[playbook.value]
                    else { continue }
                    findings += changes.map { change in
                        var change = change
                        change.message = "via step \(step.id.value): " + change.message
                        return change
                    }
                }
                let usesChangedTemplate = Self.templates(of: new, config: head.config).contains {
                    changedTemplates.contains($0)
                }
                if !findings.isEmpty || usesChangedTemplate {
                    findings += await messageChanges(old, new, knownAlerts: knownAlerts.head)
                }
                if !findings.isEmpty {
                    diffs.append(
                        RunbookDiff(
                            name: name, change: .modified, base: old.metadata.name.location,
                            head: new.metadata.name.location, findings: findings))
                }
            case (nil, nil): break
            }
        }
        let configFindings = ConfigComparison(base: base.config, head: head.config).findings()
        let routing = RoutingComparison(
            base: base, head: head, changedNames: Set(diffs.map(\.name)), configChanged: !configFindings.isEmpty)
        let alerts = probeAlerts(for: Set(diffs.map(\.name)), known: knownAlerts.base + knownAlerts.head)
        for move in routing.moves(of: alerts) {
            let finding = routing.finding(for: move)
            let owner = [move.after, move.before].compactMap { $0 }.first { name in diffs.contains { $0.name == name } }
            if let index = diffs.firstIndex(where: { $0.name == owner }) {
                diffs[index].findings.insert(finding, at: 0)
            }
        }
        return CatalogDiffReport(
            baseLabel: baseLabel, headLabel: headLabel, baseRoot: base.root, headRoot: head.root, runbooks: diffs,
            catalogFindings: configFindings, probedAlerts: alerts.count)
    }

    /// Step changes of each playbook, reported in every runbook that calls it.
    private func playbookChanges() -> [String: [DiffFinding]] {
        var changes: [String: [DiffFinding]] = [:]
        for new in head.playbooks {
            guard let old = base.playbook(named: new.name) else { continue }
            var findings =
                StepComparison(scope: "playbook \(new.name) step").compare(base: old.steps, head: new.steps)
                + StepComparison(scope: "playbook \(new.name) on_failure step").compare(
                    base: old.onFailure, head: new.onFailure)
                + StepComparison(scope: "playbook \(new.name) finally step").compare(
                    base: old.finally, head: new.finally)
            let oldInputs = old.inputs.map { "\($0.name.value):\($0.required):\($0.defaultValue ?? "")" }.sorted()
            let newInputs = new.inputs.map { "\($0.name.value):\($0.required):\($0.defaultValue ?? "")" }.sorted()
            if oldInputs != newInputs {
                findings.append(
                    DiffFinding(
                        .playbook, .medium, "playbook \(new.name) inputs changed", base: old.metadata.name.location,
                        head: new.metadata.name.location))
            }
            let oldOutputs = old.outputs.map { "\($0.name.value) = \($0.value.expression)" }.sorted()
            let newOutputs = new.outputs.map { "\($0.name.value) = \($0.value.expression)" }.sorted()
            if oldOutputs != newOutputs {
                findings.append(
                    DiffFinding(
                        .playbook, .medium, "playbook \(new.name) returns different outputs",
                        base: old.metadata.name.location, head: new.metadata.name.location,
                        detail: [
                            "before: \(oldOutputs.joined(separator: "; "))",
                            "after:  \(newOutputs.joined(separator: "; "))",
                        ]))
            }
            findings = findings.map { finding in
                var finding = finding
                finding.area = .playbook
                return finding
            }
            if !findings.isEmpty { changes[new.name] = findings }
        }
        return changes
    }

    /// Rendered status and escalation text for one sample alert, drilled on both sides.
    private func messageChanges(_ old: Runbook, _ new: Runbook, knownAlerts: [Alert]) async -> [DiffFinding] {
        guard let alert = sampleAlert(for: new, knownAlerts: knownAlerts) else { return [] }
        let before = await Rehearsal.run(old, alert: alert, in: base)
        let after = await Rehearsal.run(new, alert: alert, in: head)
        var findings: [DiffFinding] = []
        var reported: Set<String> = []
        for message in after.messages {
            guard let previous = before.messages.first(where: { $0.trigger == message.trigger && $0.at == message.at }),
                previous.body != message.body
            else { continue }
            let label = "\(message.trigger.rawValue)\(message.template.map { " (template \($0))" } ?? "")"
            guard reported.insert(label).inserted else { continue }
            let location = message.template.flatMap { head.template(named: $0) }.map {
                SourceLocation(file: $0.file, line: 1, column: 1)
            }
            findings.append(
                DiffFinding(
                    .status, .low,
                    "\(label) text changed for a sample alert (\(alert.name) [\(SampleAlerts.describe(alert, config: head.config))])",
                    base: previous.template.flatMap { base.template(named: $0) }.map {
                        SourceLocation(file: $0.file, line: 1, column: 1)
                    }, head: location,
                    detail: TextDiff.lines(from: previous.body, to: message.body)))
        }
        return findings
    }

    /// An example or test alert that routes to the runbook, else one made from its matchers.
    private func sampleAlert(for runbook: Runbook, knownAlerts: [Alert]) -> Alert? {
        knownAlerts.first { RunbookMatcher.selectedRunbook(for: $0, in: head)?.name == runbook.name }
            ?? SampleAlerts.typical(for: runbook, config: head.config)
    }

    private func probeAlerts(for changed: Set<String>, known: [Alert]) -> [Alert] {
        var alerts = known
        for catalog in [base, head] {
            for runbook in catalog.runbooks where changed.contains(runbook.name) {
                alerts += SampleAlerts.probes(for: runbook, config: catalog.config)
            }
        }
        var seen: Set<String> = []
        return alerts.filter { seen.insert("\($0.fingerprint)|\($0.source)|\($0.severity ?? "")").inserted }
    }

    /// The `sample_alerts` files (`examples/alerts/*.json`) and the alerts of `tests/*.yaml`.
    private func catalogAlerts(_ catalog: Catalog) -> [Alert] {
        var alerts: [Alert] = []
        let directory = CatalogLoader.resolve(catalog.config.sampleAlertsDirectory, in: catalog.root)
        let files =
            (try? FileManager.default.contentsOfDirectory(atPath: directory))?.filter { $0.hasSuffix(".json") }.sorted()
            ?? []
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else { continue }
            alerts += (try? AlertDecoder.decode([UInt8](data), config: catalog.config)) ?? []
        }
        let tests = RunbookTestLoader.defaultDirectory(of: catalog)
        if FileManager.default.fileExists(atPath: tests) {
            alerts += RunbookTestLoader.load(paths: [tests], catalog: catalog).suites.flatMap {
                $0.tests.flatMap { $0.alerts.map(\.alert) }
            }
        }
        return alerts.filter { $0.status == .firing }
    }

    private static func templates(of runbook: Runbook, config: CatalogConfig) -> [String] {
        let plans = EscalationPlan.candidates(for: runbook, config: config).map(\.plan)
        return plans.flatMap { $0.status.all.map(\.template.value) }
            + EscalationPlan.allRungs(of: runbook, config: config).compactMap { $0.template?.value }
            + runbook.allSteps.compactMap { step in
                if case .notify(_, let template, _) = step.action { return template?.value }
                return nil
            }
    }

    private static func kinds(_ runbook: Runbook) -> String {
        StepKind.allCases.compactMap { kind in
            let count = runbook.allSteps.count { $0.kind == kind }
            return count > 0 ? "\(count) \(kind.rawValue)" : nil
        }.joined(separator: ", ")
    }

    static func describe(_ match: RunbookMatch) -> String {
        var parts = match.labels.map(\.description)
        if let severity = match.severity { parts.append("severity \(severity)") }
        if !match.sources.isEmpty { parts.append("source \(match.sources.map(\.pattern).joined(separator: "|"))") }
        return parts.isEmpty ? "every alert" : parts.joined(separator: ", ")
    }
}
