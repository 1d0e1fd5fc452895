import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// What people and other programs do to a run: approvals through the engine's API, command
/// notifiers, drills that really run safe diagnostics.
struct ControlTests {
    private func live(
        _ runbook: String, alert: Alert, control: RunControl, environment: [String: String]
    ) async throws -> RunRecord {
        let catalog = try await EngineFixture.catalog()
        let runbook = try #require(catalog.runbook(named: runbook))
        let options = EngineFixture.options(.live, environment: environment)
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: options.environment),
            environment: options.environment.filter { catalog.config.envAllow.contains($0.key) })
        let engine = RunEngine(
            catalog: catalog, clock: ContinuousClock(), runner: ProcessCommandRunner(), sender: sender)
        return await engine.run(runbook, alert: alert, options: options, control: control)
    }

    @Test("an approval step waits for a decision given through RunControl; approved, the run goes on")
    func approved() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("chatops.txt").path
        let control = RunControl()
        // Before the run reaches the gate, a decision is refused: nobody has seen the findings yet.
        let early = await control.decide(.approve, step: "approve", by: Identity(name: "alice"))
        #expect(early.rejection?.code == .notWaiting)
        async let record = live(
            "approval", alert: EngineFixture.alert("Approval", labels: ["service": "web"]), control: control,
            environment: ["RBX_TEST_OUT": out])
        try await waitForGate("approve", on: control)
        #expect(
            await control.decide(.approve, step: "restart", by: Identity(name: "alice")).rejection?.code == .notWaiting)
        #expect(await control.decide(.approve, step: "approve", by: Identity(name: "alice")).rejection == nil)
        let run = try await record
        #expect(run.steps.map(\.status) == [.ok, .ok, .ok, .ok])
        #expect(run.steps[1].note == "approved by alice")
        #expect(run.steps[2].stdout == "restarting web\n")
        #expect(run.steps[3].children.map(\.stdout) == ["target=web\n"])
        #expect(run.outcome == .resolved)
        #expect(try String(contentsOfFile: out, encoding: .utf8) == "approve restarting web?")
        #expect(run.notifications.map(\.delivered) == [true])
    }

    @Test("denied, the approval step fails and stops the run")
    func denied() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let control = RunControl()
        async let record = live(
            "approval", alert: EngineFixture.alert("Approval", labels: ["service": "web"]), control: control,
            environment: ["RBX_TEST_OUT": directory.appendingPathComponent("out").path])
        try await waitForGate("approve", on: control)
        _ = await control.decide(.deny, step: "approve", by: Identity(name: "bob"))
        let run = try await record
        #expect(run.steps.map(\.status) == [.ok, .denied])
        #expect(run.outcome == .failed)
        #expect(run.timeline.contains { $0.summary == "approve denied by bob" })
    }

    /// Polls until the run's approval step has opened its gate. The limit only turns a hang into
    /// a failure: the full test suite can keep a run's tasks waiting for a thread for many seconds.
    private func waitForGate(_ step: String, on control: RunControl) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while await control.waitingStep != step {
            guard ContinuousClock.now < deadline else { throw CancellationError() }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    @Test("a drill with run-diagnostics really runs safe diagnostics and nothing else")
    func runDiagnostics() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("marker").path
        let record = try await EngineFixture.run(
            "side-effects", alert: EngineFixture.alert("SideEffects", labels: ["marker": marker]),
            mode: .drill(DrillOptions(runDiagnostics: true, horizon: .seconds(60))))
        #expect(record.steps[0].origin == .executed)
        #expect(record.steps[0].stdout == marker + "\n")
        #expect(record.steps[1].origin == .assumed)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("a drill assumption reaches a step inside a playbook call as CALLER.STEP")
    func nestedAssumption() async throws {
        let record = try await EngineFixture.run(
            "approval", alert: EngineFixture.alert("Approval", labels: ["service": "web"]),
            mode: .drill(DrillOptions(assumptions: ["call.echo": .fail], horizon: .seconds(60))))
        let call = try #require(record.steps.last)
        #expect(call.status == .failed)
        #expect(call.children.map(\.status) == [.failed])
        #expect(record.outcome == .failed)
    }
}

/// Real time: a rung that falls due while a command runs fires then, not after the command.
struct LiveTimerTests {
    @Test("an escalation due during a running command fires while it runs")
    func escalationDuringCommand() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("pages").path
        let catalog = try await EngineFixture.catalog()
        let runbook = try #require(catalog.runbook(named: "slow-step"))
        let options = EngineFixture.options(.live, environment: ["RBX_TEST_OUT": out])
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]),
            environment: ["RBX_TEST_OUT": out])
        let engine = RunEngine(
            catalog: catalog, clock: ContinuousClock(), runner: ProcessCommandRunner(), sender: sender)
        let record = await engine.run(
            runbook, alert: EngineFixture.alert("SlowStep", labels: ["out": out]), options: options)
        #expect(record.steps.first?.status == .ok)
        // The step read the page the notifier wrote while the step was still sleeping.
        #expect(record.steps.first?.stdout.hasPrefix("[P2] slow-step: SlowStep is not resolved after 1s") == true)
        #expect(record.timeline.first { $0.kind == .escalation }?.at == .seconds(1))
    }
}

extension Result {
    var rejection: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
