import Foundation
import RunbookCore
import RunbookYAML
import Testing

/// Issue 13, item 10: a failed attempt ends an `until` only when the condition reads `ok`,
/// `status` or `exit_code`.
@Suite struct ConditionSemanticsTests {
    @Test(arguments: [
        ("not outputs.busy", false), ("ok and not outputs.busy", true), ("not ok", true),
        ("status == \"failed\"", true), ("steps.wait.exit_code == 1", true), ("outputs.n < 3", false),
    ])
    func whichUntilConditionsSpeakOfFailure(_ text: String, considers: Bool) throws {
        let condition = Condition(
            text: text, expression: try ExpressionParser.parse(text),
            source: ScalarSource(location: .init(file: "r.yaml", line: 1, column: 1), style: .plain))
        #expect(condition.considersFailure == considers)
    }

    @Test func aBooleanInputIsABooleanAndANumberANumberWhenItsTextSaysSo() {
        let flag = PlaybookInput(
            name: Located("flag", at: SourceLocation(file: "p.yaml", line: 1, column: 1)), type: .boolean)
        #expect(flag.expressionValue(for: "false") == .bool(false))
        #expect(!flag.expressionValue(for: "false").isTruthy)
        let count = PlaybookInput(
            name: Located("count", at: SourceLocation(file: "p.yaml", line: 1, column: 1)), type: .integer)
        #expect(count.expressionValue(for: "10") == .number(10))
        #expect(count.expressionValue(for: "007") == .string("007"), "kept as written when not canonical")
    }
}

/// Lint points at conditions whose meaning differs from how they read.
@Suite struct ConditionLintTests {
    @Test func textUsedAsAConditionAndAnUntilThatAFailureWouldSatisfyAreWarned() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        apiVersion: rbx/v1
        kind: Playbook
        metadata: { name: protect }
        inputs:
          mode: { type: string, default: "off" }
          stop_writes: { type: boolean, default: false }
        steps:
          - id: stop
            kind: remediation
            when: inputs.mode and inputs.stop_writes
            run: [/bin/true]
            timeout: 5s

        """.write(to: directory.appendingPathComponent("playbooks/protect.yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: poll }
        match: { labels: { alertname: Poll } }
        steps:
          - id: wait
            kind: diagnostic
            run: [/bin/true]
            outputs: { busy: 'busy=(\\w+)' }
            until: not outputs.busy
            timeout: 1m
          - id: canary
            kind: diagnostic
            when: alert.labels.canary and steps.wait.ok
            run: [/bin/true]
            timeout: 5s
          - id: fine
            kind: diagnostic
            when: alert.labels.canary == "true" and not steps.wait.ok
            run: [/bin/true]
            timeout: 5s

        """.write(to: directory.appendingPathComponent("runbooks/poll.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let found = catalog.diagnostics.filter { ["string-condition", "until-after-failure"].contains($0.code) }
            .map { "\($0.location.line):\($0.location.column) \($0.code): \($0.message)" }.sorted()
        #expect(found.count == 2, "\(found)")
        #expect(
            found.contains {
                $0.hasPrefix("10:11 string-condition: inputs.mode is a string input") && $0.contains("boolean")
            })
        #expect(found.contains { $0.hasPrefix("10:16 until-after-failure: until holds when outputs.busy is empty") })
        // `when: alert.labels.canary` asks whether the label is there: no warning.
    }
}

/// `rbx docs` shows an argv element as the program receives it: `{{'{{'}}` is how a runbook
/// writes a literal `{{`, and the docs showed the escape instead of the braces.
@Suite struct ShownTextTests {
    @Test(arguments: [
        ("{{'{{'}}.Names{{'}}'}}", "{{.Names}}"),
        ("host={{ alert.labels.host }}", "host={{alert.labels.host}}"),
        ("plain", "plain"),
    ])
    func shownAsTheProgramReceivesIt(_ written: String, shown: String) throws {
        let text = InterpolatedText(
            text: written, interpolation: try Interpolation.parse(written),
            source: ScalarSource(location: SourceLocation(file: "r.yaml", line: 1, column: 1), style: .plain))
        #expect(text.shown == shown)
    }
}

/// swift-mustache's transforms (`{{uppercased(alert.name)}}`) render, so lint takes them.
@Suite struct TemplateTransformTests {
    @Test func transformsAreReadThroughAndUnknownOnesStayErrors() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{{uppercased(alert.name)}} {{#sorted(alert.tags)}}{{.}}{{/sorted(alert.tags)}} {{shout(alert.name)}}\n"
            .write(
                to: directory.appendingPathComponent("templates/loud.mustache"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let references = catalog.diagnostics.filter { $0.code == "template-reference" }
        #expect(references.count == 1, "\(catalog.diagnostics)")
        #expect(references.first?.message.contains("\"shout(alert.name)\"") == true)
        let template = try #require(catalog.template(named: "loud"))
        let alert: [String: any Sendable] = ["name": "HostDown", "tags": ["b", "a"]]
        #expect(template.render(["alert": alert]).hasPrefix("HOSTDOWN ab "), "\(template.render(["alert": alert]))")
        #expect(MessageTemplate.transformed("uppercased(sorted(alert.labels))").transforms == ["uppercased", "sorted"])
    }
}

/// A guard that needs an earlier step to have failed, when that step stops the run on failure.
@Suite struct NeverTrueGuardTests {
    @Test func aGuardOnTheFailureOfAStepThatStopsTheRunIsWarned() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: guards }
        match: { labels: { alertname: Guards } }
        steps:
          - id: check
            kind: diagnostic
            run: [/bin/true]
            timeout: 5s
          - id: tolerant
            kind: diagnostic
            run: [/bin/true]
            timeout: 5s
            continue_on_error: true
          - id: dead
            kind: diagnostic
            when: not steps.check.ok
            run: [/bin/true]
            timeout: 5s
          - id: dead_status
            kind: diagnostic
            when: steps.check.status == "failed" and alert.firing
            run: [/bin/true]
            timeout: 5s
          - id: alive
            kind: diagnostic
            when: not steps.tolerant.ok or not steps.check.ok
            run: [/bin/true]
            timeout: 5s

        """.write(to: directory.appendingPathComponent("runbooks/guards.yaml"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let found = catalog.diagnostics.filter { $0.code == "never-true" }.map {
            "\($0.location.line) \($0.stepID ?? "")"
        }
        #expect(found == ["17 dead", "22 dead_status"], "\(catalog.diagnostics)")
    }
}
