import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@Suite("stop: a run that has nothing (more) to do ends stopped, not resolved")
struct StopStepTests {
    private func alert(healthy: Bool) -> Alert {
        EngineFixture.alert("Stopping", labels: ["healthy": healthy ? "yes" : "no", "instance": "web-3"])
    }

    @Test("a stop ends the steps, runs finally, ends the ladder and updates, and publishes no resolution")
    func stops() async throws {
        let record = try await EngineFixture.run("stopping", alert: alert(healthy: true), mode: .drill(DrillOptions()))
        #expect(record.outcome == .stopped)
        #expect(record.succeeded)
        #expect(record.stopReason == "web-3 is healthy again")
        #expect(record.steps.map(\.id) == ["check", "nothing_to_do", "tidy"])
        #expect(record.timeline.contains { $0.summary == "nothing_to_do stops the run: web-3 is healthy again" })
        #expect(record.pages.isEmpty, "no rung pages for a run that stopped")
        #expect(record.messages.map(\.trigger) == [.onStart], "no update and no false RESOLVED")
        #expect(record.resolution == nil)
    }

    @Test("a stop whose when is false does nothing; the steps go on and the ladder runs")
    func passesThrough() async throws {
        let record = try await EngineFixture.run("stopping", alert: alert(healthy: false), mode: .drill(DrillOptions()))
        #expect(record.outcome != .stopped)
        #expect(record.steps.map(\.id) == ["check", "nothing_to_do", "act", "tidy"])
        #expect(record.steps.first { $0.id == "nothing_to_do" }?.status == .skipped)
        #expect(record.pages.map(\.at) == [.seconds(300)])
    }

    @Test("the lifecycle: a stopped run cancels every timer, and the alert's resolution resolves it later")
    func lifecycle() {
        var standing = RunStanding()
        let change = standing.finish(.stopped)
        #expect(change == RunStanding.Change(state: .stopped, cancels: .all))
        #expect(standing.resolve() == RunStanding.Change(state: .resolved, cancels: .all))
        var acked = RunStanding()
        _ = acked.finish(.stopped)
        #expect(acked.acknowledge()?.state == .stopped)
    }
}
