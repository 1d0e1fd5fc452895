import Foundation
import RunbookCore
import RunbookReview
import RunbookYAML
import Testing

/// `rbx coverage`'s analysis on fixture rule files (checked by the real promtool) against a
/// fixture catalog: each rule ends handled, handled depending on labels, or uncovered for a reason.
struct RuleCoverageTests {
    static let rulesDirectory = ReviewFixtures.path("coverage/rules")

    private func report() async throws -> CoverageReport {
        let files = ["api.yml", "node.yml"].map { Self.rulesDirectory + "/" + $0 }
        let rules = try files.flatMap { try RuleFileReader.read($0) }
        let catalog = try await ReviewFixtures.catalog("coverage/catalog")
        #expect(catalog.diagnostics.errorCount == 0)
        return RuleCoverage.analyze(rules: rules, ruleFiles: files, catalog: catalog)
    }

    @Test("the fixture rule files are valid for promtool check rules")
    func promtoolAccepts() throws {
        let promtool = Process()
        promtool.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        promtool.arguments = ["check", "rules", Self.rulesDirectory + "/api.yml", Self.rulesDirectory + "/node.yml"]
        promtool.standardOutput = FileHandle.nullDevice
        try promtool.run()
        promtool.waitUntilExit()
        #expect(promtool.terminationStatus == 0)
    }

    @Test("recording rules are skipped; alerting rules keep their group and the line of alert:")
    func readsAlertingRules() throws {
        let rules = try RuleFileReader.read(Self.rulesDirectory + "/node.yml")
        #expect(rules.map(\.name) == ["InstanceDown", "DiskFull", "ExporterMissing"])
        #expect(rules.allSatisfy { $0.group == "node" })
        #expect(rules[0].location.position.line == 5)
        #expect(rules[0].labels["severity"] == .fixed("critical"))
    }

    @Test("a rule every alert of which a runbook takes is handled, the runbook that runs first listed first")
    func handled() async throws {
        let report = try await report()
        let down = try #require(report.rules.first { $0.alert == "InstanceDown" })
        #expect(down.handledBy == ["node-down-anywhere"])
        #expect(down.mayBeHandledBy == [.init(runbook: "node-down", conditions: [#"env=~"prod|staging""#])])
        let missing = try #require(report.rules.first { $0.alert == "ExporterMissing" })
        #expect(missing.handledBy == ["exporter-missing"])
    }

    @Test("a template severity makes the match depend on what it renders")
    func templatedSeverity() async throws {
        let report = try await report()
        let burn = try #require(report.rules.first { $0.alert == "ErrorBudgetBurn" })
        #expect(burn.handledBy.isEmpty)
        #expect(burn.mayBeHandledBy == [.init(runbook: "budget-burn", conditions: ["severity P1"])])
    }

    @Test("uncovered rules, a label gap, and runbooks no rule can start, each with file:line")
    func findings() async throws {
        let report = try await report()
        #expect(report.uncovered.map(\.alert) == ["ApiLatencyHigh", "DiskFull"])
        #expect(report.uncovered[0].location.hasSuffix("rules/api.yml:6:16"))
        #expect(report.gaps.count == 1)
        let gap = try #require(report.gaps.first)
        #expect(gap.rule == "ApiLatencyHigh" && gap.runbook == "api-latency" && gap.labels == ["env"])
        #expect(gap.matchLocation.hasSuffix("runbooks/api-latency.yaml:6:3"))
        // A check runs on its schedule: it is never "untriggered".
        #expect(report.untriggered.map(\.runbook) == ["api-latency", "backup-failed", "disk-full"])
        #expect(report.count(.uncovered) == 2 && report.count(.gaps) == 1)
    }

    @Test("the rule's labels override the series', an empty label is no label, and intake decides the source")
    func labelPrecedence() async throws {
        let yaml = """
            groups:
              - name: g
                rules:
                  - alert: ExporterMissing
                    expr: absent(up{job="other"})
                    labels:
                      job: node
                  - alert: InstanceDown
                    expr: up == 0
                    labels:
                      severity: critical
                      source: ""
            """
        let rules = try RuleFileReader.parse(Array(yaml.utf8), file: "inline.yml")
        let catalog = try await ReviewFixtures.catalog("coverage/catalog")
        let report = RuleCoverage.analyze(rules: rules, ruleFiles: ["inline.yml"], catalog: catalog)
        #expect(report.rules[0].handledBy == ["exporter-missing"])
        #expect(report.rules[1].handledBy == ["node-down-anywhere"])
    }

    @Test("a rule file rbx cannot read is an error with file:line:col")
    func fileErrors() throws {
        let cases: [(String, RuleFileError.Code, Int)] = [
            ("groups:\n  - name: g\n    rules: [\n", .syntax, 4),
            ("groups:\n  - name: g\n    rules:\n      - alert: X\n", .shape, 4),
            ("groups:\n  - name: g\n    rules: 3\n", .shape, 3),
            ("groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up\n        labels: [a]\n", .shape, 6),
        ]
        for (text, code, line) in cases {
            do {
                _ = try RuleFileReader.parse(Array(text.utf8), file: "bad.yml")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.code == code, "\(text)")
                #expect(error.location.position.line == line, "\(error)")
                #expect(error.location.file == "bad.yml")
            }
        }
    }

    @Test("text and Markdown say the same findings")
    func rendering() async throws {
        let report = try await report()
        let text = report.text()
        #expect(text.hasPrefix("5 alerting rules in 2 files, 7 runbooks that take alerts: 2 handled,"))
        #expect(text.contains("api.yml:6:16: error: ApiLatencyHigh never sets env, which api-latency matches on"))
        #expect(text.contains("warning: backup-failed"))
        let markdown = report.markdown()
        #expect(markdown.contains("| `DiskFull` | node | **none** |"))
        #expect(markdown.contains("| `InstanceDown` | node | `node-down-anywhere` |"))
    }
}
