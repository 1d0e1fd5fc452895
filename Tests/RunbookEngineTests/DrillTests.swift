import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Drills in virtual time: every escalation and status update at its time, in milliseconds.
struct DrillTests {
    @Test("a drill of a ladder spanning 4 hours finishes quickly and lists every escalation at its virtual time")
    func longLadder() async throws {
        let clock = ContinuousClock()
        let started = clock.now
        let record = try await EngineFixture.run(
            "long-ladder", alert: EngineFixture.alert("LongLadder", labels: ["instance": "web-1"]),
            mode: .drill(DrillOptions()))
        // A guard against a drill that waits in real time, not a speed check (bench/ measures speed).
        #expect(clock.now - started < .seconds(60))
        let escalations = record.timeline.filter { $0.kind == .escalation }.map(\.line)
        #expect(
            escalations == [
                "T+00:05:00  escalation  paged secondary-oncall",
                "T+00:15:00  escalation  paged team-lead",
                "T+00:45:00  escalation  paged team-lead (reminder 1)",
                "T+01:15:00  escalation  paged team-lead (reminder 2)",
                "T+01:45:00  escalation  paged team-lead (reminder 3)",
                "T+02:15:00  escalation  paged team-lead (reminder 4)",
                "T+02:45:00  escalation  paged team-lead (reminder 5)",
                "T+03:15:00  escalation  paged team-lead (reminder 6)",
                "T+03:45:00  escalation  paged team-lead (reminder 7)",
                "T+04:00:00  escalation  paged incident-commander",
                "T+04:15:00  escalation  paged team-lead (reminder 8)",
                "T+04:45:00  escalation  paged team-lead (reminder 9)",
            ])
        let updates = record.timeline.filter { $0.kind == .status }.map(\.line)
        #expect(updates.first == "T+00:00:00  status      investigating: incident-initial")
        #expect(updates.dropFirst().allSatisfy { $0.hasSuffix("monitoring: status-update") })
        #expect(record.notifications.allSatisfy { !$0.delivered })
        #expect(
            record.notifications.first { $0.notifier == "team-lead" }?.body
                == "PAGE: LongLadder on web-1 is still firing (run \(record.id)).\n")
    }

    @Test("an acknowledgement stops escalation; a resolution stops everything and publishes on_resolved")
    func ackAndResolve() async throws {
        let alert = EngineFixture.alert("LongLadder", labels: ["instance": "web-1"])
        let acked = try await EngineFixture.run(
            "long-ladder", alert: alert, mode: .drill(DrillOptions(ackAt: .seconds(720))))
        #expect(
            acked.timeline.filter { $0.kind == .escalation }.map(\.line) == [
                "T+00:05:00  escalation  paged secondary-oncall"
            ])
        #expect(
            acked.timeline.contains { $0.line == "T+00:12:00  ack         acknowledged by drill; escalation stopped" })

        let resolved = try await EngineFixture.run(
            "long-ladder", alert: alert, mode: .drill(DrillOptions(resolveAt: .seconds(1200))))
        #expect(resolved.outcome == .resolved)
        #expect(resolved.timeline.filter { $0.kind == .escalation }.count == 2)
        #expect(
            resolved.timeline.last { $0.kind == .status }?.line == "T+00:20:00  status      resolved: incident-resolved"
        )
        #expect(resolved.messages.last?.body == "Resolved: LongLadder on web-1.\n")
    }

    @Test("retries and backoff happen in virtual time")
    func retriesWithBackoff() async throws {
        let record = try await EngineFixture.run(
            "long-ladder", alert: EngineFixture.alert("LongLadder"),
            mode: .drill(DrillOptions(assumptions: ["fix": .fail], horizon: .seconds(60))))
        let fix = try #require(record.steps.first { $0.id == "fix" })
        #expect(fix.status == .failed)
        #expect(fix.attempts == 3)
        #expect(fix.duration == .seconds(20))
        #expect(
            record.timeline.filter { $0.stepID == "fix" }.map(\.line) == [
                "T+00:00:00  step        fix runs: /bin/true",
                "T+00:00:00  step        fix attempt 1 failed; retrying in 10s",
                "T+00:00:10  step        fix runs: /bin/true",
                "T+00:00:10  step        fix attempt 2 failed; retrying in 10s",
                "T+00:00:20  step        fix runs: /bin/true",
                "T+00:00:20  step        fix failed (exit 1) after 3 attempts [assumed]",
                "T+00:00:20  run         stopped: step fix failed",
            ])
        #expect(record.outcome == .failed)
    }
}

/// Drills told how long steps took tell the server's story at the server's times.
struct TimedDrillTests {
    @Test(
        "an assumed duration moves everything after the step by that much virtual time",
        arguments: [
            ("ok:40s", StepResult.Status.ok, Duration.seconds(40)),
            ("fail:3s", .failed, .seconds(3)),
            ("exit:2:30s", .failed, .seconds(30)),
        ])
    func assumedDurations(text: String, status: StepResult.Status, duration: Duration) async throws {
        let timed = try #require(DrillOptions.Assumption.timed(text))
        #expect(timed.duration == duration)
        var options = DrillOptions(assumptions: ["fix": timed.assumption], horizon: .seconds(60))
        options.assumedDurations = ["fix": duration]
        let record = try await EngineFixture.run(
            "long-ladder", alert: EngineFixture.alert("LongLadder"), mode: .drill(options))
        let fix = try #require(record.steps.first { $0.id == "fix" })
        #expect(fix.status == status)
        if status == .ok { #expect(fix.duration == duration) } else { #expect(fix.duration >= duration) }
    }

    @Test("an acknowledged drill keeps publishing status updates, as the server does")
    func ackKeepsStatusUpdates() async throws {
        let alert = EngineFixture.alert("LongLadder", labels: ["instance": "web-1"])
        let acked = try await EngineFixture.run(
            "long-ladder", alert: alert, mode: .drill(DrillOptions(ackAt: .seconds(720), horizon: .seconds(3600))))
        let updatesAfterAck = acked.timeline.filter { $0.kind == .status && $0.at > .seconds(720) }
        #expect(!updatesAfterAck.isEmpty)
        #expect(acked.timeline.contains { $0.summary.hasPrefix("drill ends at its horizon: acknowledged") })
    }
}
