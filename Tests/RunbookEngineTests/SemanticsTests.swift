import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Issue 13, item 10: semantics that ran the wrong thing, each reproduced before the fix.
@Suite struct SemanticsTests {
    @Test func aDeclaredBooleanInputIsABooleanInConditions() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alert = EngineFixture.alert(
            "Semantics", labels: ["counter": directory.appendingPathComponent("counter").path])
        let record = try await EngineFixture.run("semantics", alert: alert, mode: .live)
        let kept = try #require(record.steps.first { $0.id == "keep_writes" })
        #expect(kept.children.first { $0.id == "stop" }?.status == .skipped, "stop_writes: false must not stop")
        #expect(kept.children.first { $0.id == "count" }?.stdout == "retries=2 stop=false\n")
        let stopped = try #require(record.steps.first { $0.id == "stop_writes" }, "\(record.stepReport)")
        #expect(stopped.children.first { $0.id == "stop" }?.stdout == "stopped\n")
        #expect(stopped.children.first { $0.id == "count" }?.stdout == "retries=10 stop=true\n")
    }

    @Test func aFailedAttemptDoesNotSatisfyUntilThatDoesNotAskAboutFailure() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alert = EngineFixture.alert(
            "Semantics", labels: ["counter": directory.appendingPathComponent("counter").path])
        let record = try await EngineFixture.run("semantics", alert: alert, mode: .live)
        let wait = try #require(record.steps.first { $0.id == "wait_idle" }, "\(record.stepReport)")
        #expect(wait.status == .ok)
        #expect(wait.attempts == 3)
        #expect(wait.stdout == "attempt 3\n")
    }

    @Test func theTimelineQuotesArgumentsThatAreNotPlainWords() async throws {
        let record = try await EngineFixture.run(
            "semantics", alert: EngineFixture.alert("Semantics", labels: ["counter": "/nonexistent/x"]),
            mode: .dryRun)
        #expect(
            record.timeline.contains { $0.summary == #"quoted would run: /bin/echo 'two words' 'it'\''s' plain-word"# })
    }

    @Test func aDryRunThatCannotRenderAStepFails() async throws {
        let record = try await EngineFixture.run("secrets", alert: EngineFixture.alert("Secrets"), mode: .dryRun)
        #expect(record.steps.first?.status == .failed)
        #expect(record.outcome == .failed)
        #expect(!record.succeeded)
    }

    @Test func anImmediateRungIsListedOnceInADryRunAndSaysTheAlertIsFiring() async throws {
        let alert = EngineFixture.alert("Semantics", labels: ["counter": "/nonexistent/x"])
        let dry = try await EngineFixture.run("semantics", alert: alert, mode: .dryRun)
        #expect(dry.timeline.filter { $0.summary.contains("page secondary-oncall") }.count == 1, "\(dry.timeline)")
        #expect(dry.timeline.contains { $0.summary == "would page team-lead if still open" && $0.at == .seconds(600) })
        let drill = try await EngineFixture.run("semantics", alert: alert, mode: .drill(DrillOptions()))
        let first = try #require(drill.notifications.first { $0.notifier == "secondary-oncall" })
        #expect(first.body.contains("Semantics is firing (run "), "\(first.body)")
    }
}
