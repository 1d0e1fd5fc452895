import Foundation
import RunbookCore
import RunbookYAML
import Testing

/// Escalation policies in rbx.yaml: which ladder a runbook follows for an alert, what a rung's
/// `when` and a label-named target decide, and what lint refuses.
@Suite struct EscalationPolicyTests {
    static let catalogDirectory = TestCatalog.fixtures.appendingPathComponent("escalation").path

    private func catalog() async throws -> Catalog {
        let catalog = try await CatalogLoader.load(directory: Self.catalogDirectory)
        #expect(catalog.diagnostics.isEmpty, "\(catalog.diagnostics)")
        return catalog
    }

    private func alert(_ name: String, severity: String, labels: [String: String] = [:]) -> Alert {
        Alert(
            fingerprint: "f1", name: name, source: "prometheus", severity: severity, rawSeverity: severity,
            status: .firing, labels: labels.merging(["alertname": name]) { first, _ in first })
    }

    private func ladder(_ runbook: String, _ alert: Alert, in catalog: Catalog) throws -> [String] {
        let planned = try #require(catalog.runbook(named: runbook, for: alert))
        return planned.escalation.map {
            "\($0.after.runbookDescription) \($0.notify.map(\.value).joined(separator: ","))"
        }
    }

    @Test("a runbook without escalation: takes by_severity's policy for its level, else the default")
    func catalogDefaultBySeverity() async throws {
        let catalog = try await catalog()
        let p1 = alert("Default", severity: "P1", labels: ["env": "prod"])
        #expect(try ladder("default", p1, in: catalog) == ["2m oncall", "1h commander"])
        let p3 = alert("Default", severity: "P3", labels: ["team": "db"])
        #expect(try ladder("default", p3, in: catalog) == ["10m oncall", "30m team-db"])
        #expect(
            EscalationPlan(
                for: try #require(catalog.runbook(named: "default")), severity: nil,
                settings: catalog.config.escalation
            ).policy == "standard")
    }

    @Test("escalation: {policy: NAME} picks the policy for every severity; an empty list pages nobody")
    func namedPolicyAndOptOut() async throws {
        let catalog = try await catalog()
        let p3 = alert("Named", severity: "P3", labels: ["env": "prod"])
        #expect(try ladder("named", p3, in: catalog) == ["2m oncall", "1h commander"])
        #expect(try ladder("none", alert("None", severity: "P1"), in: catalog) == [])
        // The policy's status messages stand in for the runbook's missing ones.
        let planned = try #require(catalog.runbook(named: "named", for: p3))
        #expect(planned.status.onUpdate?.template.value == "update")
        #expect(planned.status.onUpdate?.every == .seconds(900))
        #expect(try #require(catalog.runbook(named: "none", for: p3)).status.onUpdate == nil)
    }

    @Test("a rung's when is decided from the alert: the commander only for production")
    func conditionalRung() async throws {
        let catalog = try await catalog()
        let staging = alert("Named", severity: "P2", labels: ["env": "staging"])
        #expect(try ladder("named", staging, in: catalog) == ["2m oncall"])
        let unlabelled = alert("Named", severity: "P2")
        #expect(try ladder("named", unlabelled, in: catalog) == ["2m oncall"])
    }

    @Test(
        "a label-named target pages a declared notifier only; anything else goes to the fallback",
        arguments: [
            ("db", "team-db"), ("web", "team-lead"), ("", "team-lead"), ("db,oncall", "team-lead"),
            ("../../etc/passwd", "team-lead"), ("{{ alert.labels.env }}", "team-lead"), ("DB", "team-lead"),
        ])
    func labelNamedTarget(team: String, paged: String) async throws {
        let catalog = try await catalog()
        let incoming = alert("Default", severity: "P3", labels: ["team": team, "env": "db"])
        #expect(try ladder("default", incoming, in: catalog) == ["10m oncall", "30m \(paged)"])
    }

    @Test("without a team label the fallback is paged, never nobody")
    func missingLabel() async throws {
        let catalog = try await catalog()
        #expect(
            try ladder("default", alert("Default", severity: "P4"), in: catalog) == ["10m oncall", "30m team-lead"])
    }

    @Test("the plans a runbook can follow, grouped by severity, for docs, diff and coverage")
    func candidates() async throws {
        let catalog = try await catalog()
        let runbook = try #require(catalog.runbook(named: "default"))
        let groups = EscalationPlan.candidates(for: runbook, config: catalog.config)
        #expect(groups.map(\.severities) == [["P1"], ["P2", "P3", "P4", nil]])
        #expect(groups.map(\.plan.policy) == ["critical", "standard"])
        #expect(
            EscalationPlan.allRungs(of: runbook, config: catalog.config).map(\.after.runbookDescription) == [
                "2m", "1h", "10m", "30m",
            ])
    }

    @Test("lint: a label-named target needs a fallback and may read only what an alert keeps; rung when too")
    func lintRungs() async throws {
        let found = try await TestCatalog.diagnostics(runbooks: ["escalation-policy-errors.yaml"])
        let file = "runbooks/escalation-policy-errors.yaml"
        #expect(
            found.contains(
                "\(file):8:5: error: escalation rung at 5m names a notifier from alert labels; add fallback: "
                    + "[NOTIFIER] for alerts whose label names no declared notifier [target-fallback]"), "\(found)")
        #expect(
            found.contains {
                $0.hasPrefix("\(file):12:11: error: when: alert.annotations.summary is not available to an escalation")
                    && $0.hasSuffix("[rung-scope]")
            }, "\(found)")
        #expect(
            found.contains {
                $0.hasPrefix("\(file):12:47: error: when: steps.look.ok is not available")
                    && $0.hasSuffix("[rung-scope]")
            }, "\(found)")
        #expect(!found.contains { $0.contains("[unknown-reference]") }, "one finding per path: \(found)")
        #expect(
            found.contains { $0.hasPrefix("\(file):14:14: error: notify \"{{ env.HOME }}\": env.HOME") }, "\(found)")
        #expect(
            found.contains(
                "\(file):15:16: error: unknown notifier \"oncal\"; did you mean \"oncall\"? [unknown-notifier]"),
            "\(found)")
    }

    @Test("lint: an unknown policy is named with a suggestion")
    func unknownPolicy() async throws {
        let directory = try TestCatalog.make(runbooks: ["escalation-unknown-policy.yaml"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = try String(contentsOf: directory.appendingPathComponent("rbx.yaml"), encoding: .utf8)
        try
            (config + "escalation:\n  policies:\n    standard:\n      rungs: [{after: 5m, notify: [oncall]}]\n"
            + "  by_severity: {sev9: standard, critical: standrd}\n")
            .write(to: directory.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let found = catalog.diagnostics.map { "\($0.location.line):\($0.location.column) \($0.code): \($0.message)" }
        #expect(
            found.contains(
                "7:22 unknown-policy: unknown escalation policy \"standrd\"; did you mean \"standard\"?"), "\(found)")
        #expect(
            found.contains { $0.contains("unknown-level: escalation.by_severity: \"sev9\" is not a level") }, "\(found)"
        )
        #expect(found.contains { $0.hasPrefix("12:43 unknown-policy") }, "\(found)")
    }
}
