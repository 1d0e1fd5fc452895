import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@Suite("Templates see labels as lists, the run's state and duration, and every step's result")
struct MessageContextTests {
    @Test("label and annotation lists iterate; run.state, run.duration and step_list render")
    func iterates() async throws {
        let catalog = try await EngineFixture.catalog()
        let runbook = try #require(catalog.runbook(named: "stopping"))
        var context = RunContext(
            alert: EngineFixture.alert("Stopping", labels: ["instance": "web-3", "team": "payments"]),
            run: .init(id: "r1", runbook: "stopping", startedAt: "2026-12-07T10:00:00Z", dryRun: false), env: [:])
        context.steps["check"] = StepResult(
            id: "check", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero,
            outputs: ["pids": .list([.string("41"), .string("42")])], duration: .seconds(2))
        context.steps["act"] = StepResult(
            id: "act", kind: .remediation, status: .failed, origin: .executed, startedAt: .seconds(3),
            duration: .seconds(1))
        context.state = "open"
        context.elapsed = .seconds(3900)
        let template = try MessageTemplate(
            name: "facts", file: "templates/facts.mustache",
            text: """
                {{#alert.label_list}}{{name}}={{value}};{{/alert.label_list}}
                {{run.state}} for {{run.duration}}
                {{#step_list}}{{id}}:{{status}} {{/step_list}}
                {{#steps.check.outputs.pids}}[{{.}}]{{/steps.check.outputs.pids}}
                """)
        let values = MessageContext.make(runbook: runbook, context: context, redactor: Redactor(), for: template.text)
        #expect(
            template.render(values) == """
                alertname=Stopping;instance=web-3;team=payments;
                open for 1h5m
                check:ok act:failed 
                [41][42]
                """)
        // Conditions see the same facts.
        #expect(try ExpressionParser.parse("run.duration > 1h and run.state == 'open'").isTrue(in: context))
    }

    @Test("a template that names no steps and no lists gets none built: a drill renders one at every rung")
    func buildsOnlyWhatTheTemplateNames() async throws {
        let catalog = try await EngineFixture.catalog()
        let runbook = try #require(catalog.runbook(named: "stopping"))
        var context = RunContext(
            alert: EngineFixture.alert("Stopping", labels: ["instance": "web-3"]),
            run: .init(id: "r1", runbook: "stopping", startedAt: "2026-12-07T10:00:00Z", dryRun: false), env: [:])
        context.steps["check"] = StepResult(
            id: "check", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero, stdout: "fine")
        let page = MessageContext.make(
            runbook: runbook, context: context, redactor: Redactor(), for: "PAGE {{alert.name}} ({{run.id}})")
        #expect(page["steps"] == nil && page["step_list"] == nil)
        #expect((page["alert"] as? [String: any Sendable])?["label_list"] == nil)
        let full = MessageContext.make(
            runbook: runbook, context: context, redactor: Redactor(), for: "{{steps.check.stdout}}")
        #expect(
            ((full["steps"] as? [String: any Sendable])?["check"] as? [String: any Sendable])?["stdout"] as? String
                == "fine")
    }
}
