import RunbookCore
import RunbookLifecycle
import Testing

private let clock = ManualClock()
private func minutes(_ value: Int) -> Duration { .seconds(value * 60) }
private func line(_ at: Duration, _ kind: TimelineEvent.Kind, _ text: String) -> RunAction {
    .record(TimelineEvent(at: at, kind: kind, summary: text))
}
private func escalation(_ rung: Int, _ repetition: Int, at due: Duration) -> RunTimer.Scheduled {
    RunTimer.Scheduled(due: due, timer: .escalation(rung: rung, repetition: repetition))
}
private let running = RunStanding()
private let open = RunStanding(state: .open)
private let acked = RunStanding(state: .acked, acknowledged: true)
private let resolved = RunStanding(state: .resolved, resolved: true)

/// The run lifecycle, driven table by table: (standing, event, time) → actions, on a manual
/// clock, without sleeping.
@Suite struct RunLifecycleTests {
    @Test func aRunBeginsWithItsStartMessageAndEveryTimerItsRunbookSchedules() {
        let actions = LifecycleFixtures.lifecycle().begin(resumed: false)
        #expect(
            actions == [
                .publish(StatusPublication(trigger: .onStart, key: "r1/on_start", at: .zero)),
                .schedule(escalation(0, 0, at: minutes(5))),
                .schedule(RunTimer.Scheduled(due: minutes(10), timer: .statusUpdate(number: 1))),
                .schedule(escalation(1, 0, at: minutes(15))),
            ])
        #expect(LifecycleFixtures.lifecycle().begin(resumed: true).isEmpty)
    }

    static let timerCases: [(String, RunStanding, RunTimer.Scheduled, Duration, Bool, [RunAction])] = [
        (
            "a rung pages, then schedules its reminder", running, escalation(0, 0, at: minutes(5)), minutes(5), false,
            [
                line(minutes(5), .escalation, "paged primary"),
                .page(RunPage(rung: 0, repetition: 0, notify: ["primary"], key: "r1/rung-1/0", at: minutes(5))),
                .schedule(escalation(0, 1, at: minutes(15))),
            ]
        ),
        (
            "an open run keeps paging after its steps", open, escalation(0, 2, at: minutes(25)), minutes(25), false,
            [
                line(minutes(25), .escalation, "paged primary (reminder 2)"),
                .page(RunPage(rung: 0, repetition: 2, notify: ["primary"], key: "r1/rung-1/2", at: minutes(25))),
                .schedule(escalation(0, 3, at: minutes(35))),
            ]
        ),
        (
            "a late firing is stamped when it was due and coalesces its missed reminders", running,
            escalation(0, 0, at: minutes(5)), minutes(40), false,
            [
                line(minutes(5), .escalation, "paged primary"),
                .page(RunPage(rung: 0, repetition: 0, notify: ["primary"], key: "r1/rung-1/0", at: minutes(5))),
                .schedule(escalation(0, 1, at: minutes(45))),
            ]
        ),
        (
            "a dry run says what it would page", running, escalation(1, 0, at: minutes(15)), minutes(15), true,
            [
                line(minutes(15), .escalation, "would page secondary"),
                .page(RunPage(rung: 1, repetition: 0, notify: ["secondary"], key: "r1/rung-2/0", at: minutes(15))),
            ]
        ),
        ("an acknowledged run pages nobody", acked, escalation(0, 0, at: minutes(5)), minutes(5), false, []),
        ("a resolved run pages nobody", resolved, escalation(1, 0, at: minutes(15)), minutes(15), false, []),
        (
            "an acknowledged run still publishes its updates", acked,
            RunTimer.Scheduled(due: minutes(10), timer: .statusUpdate(number: 1)), minutes(10), false,
            [
                .publish(StatusPublication(trigger: .onUpdate, key: "r1/on_update/1", at: minutes(10))),
                .schedule(RunTimer.Scheduled(due: minutes(20), timer: .statusUpdate(number: 2))),
            ]
        ),
        (
            "a resolved run publishes no update", resolved,
            RunTimer.Scheduled(due: minutes(10), timer: .statusUpdate(number: 1)), minutes(10), false, []
        ),
        (
            "a rung the runbook no longer has does nothing", running, escalation(7, 0, at: minutes(5)), minutes(5),
            false, []
        ),
    ]

    @Test(arguments: timerCases)
    func aTimerThatFallsDue(
        _ name: String, standing: RunStanding, entry: RunTimer.Scheduled, now: Duration, dryRun: Bool,
        expected: [RunAction]
    ) {
        let lifecycle = LifecycleFixtures.lifecycle(standing: standing, dryRun: dryRun)
        #expect(lifecycle.timerDue(entry, now: clock.at(now)) == expected, "\(name)")
    }

    static let handoverCases: [(String, String?, RunPage, [RunAction])] = [
        (
            "no fallback: the next rung is paged now", nil,
            RunPage(rung: 0, repetition: 0, notify: ["primary"], key: "r1/rung-1/0", at: minutes(5)),
            [
                line(minutes(5), .escalation, "rung 1 reached nobody; rung 2 is paged now"),
                .bringForward(rung: 1, to: minutes(5)),
            ]
        ),
        (
            "the fallback is paged first, under its own key", "sms",
            RunPage(rung: 0, repetition: 1, notify: ["primary"], key: "r1/rung-1/1", at: minutes(15)),
            [
                line(minutes(15), .escalation, "rung 1 reached nobody; paging the fallback sms"),
                .page(
                    RunPage(
                        rung: 0, repetition: 1, notify: ["sms"], key: "r1/rung-1/1/fallback", at: minutes(15),
                        isFallback: true)),
            ]
        ),
        (
            "a fallback that failed hands over to the next rung", "sms",
            RunPage(
                rung: 0, repetition: 0, notify: ["sms"], key: "r1/rung-1/0/fallback", at: minutes(5), isFallback: true),
            [
                line(minutes(5), .escalation, "rung 1 reached nobody; rung 2 is paged now"),
                .bringForward(rung: 1, to: minutes(5)),
            ]
        ),
        (
            "the last rung has nobody left", nil,
            RunPage(rung: 1, repetition: 0, notify: ["secondary"], key: "r1/rung-2/0", at: minutes(15)),
            [line(minutes(15), .escalation, "rung 2 reached nobody, and no later rung or fallback is left")]
        ),
    ]

    @Test(arguments: handoverCases)
    func aPageThatReachedNobody(_ name: String, fallback: String?, page: RunPage, expected: [RunAction]) {
        let lifecycle = LifecycleFixtures.lifecycle(fallback: fallback)
        #expect(lifecycle.pageUndelivered(page, at: page.at) == expected, "\(name)")
    }

    static let acknowledgementCases: [(String, RunStanding, [RunAction], RunState)] = [
        (
            "while the steps run: escalation stops, the run keeps running", running,
            [.cancelTimers(.escalations), line(minutes(7), .ack, "acknowledged by ana (on it); escalation stopped")],
            .running
        ),
        (
            "an open run becomes acknowledged", open,
            [.cancelTimers(.escalations), line(minutes(7), .ack, "acknowledged by ana (on it); escalation stopped")],
            .acked
        ),
        ("a second acknowledgement changes nothing", acked, [], .acked),
        ("after the resolution it changes nothing", resolved, [], .resolved),
    ]

    @Test(arguments: acknowledgementCases)
    func anAcknowledgement(_ name: String, standing: RunStanding, expected: [RunAction], state: RunState) {
        var lifecycle = LifecycleFixtures.lifecycle(standing: standing)
        let actions = lifecycle.acknowledge(RunAcknowledgement(by: "ana", note: "on it"), at: clock.at(minutes(7)))
        #expect(actions == expected, "\(name)")
        #expect(lifecycle.standing.state == state)
        #expect(lifecycle.isAcknowledged == !standing.resolved, "nothing is acknowledged after the resolution")
    }

    static let resolutionCases: [(String, RunStanding, RunResolution, [RunAction], RunState)] = [
        (
            "the alert resolves an open run: messages see it resolved", open, .alert,
            [
                .markAlertResolved, .cancelTimers(.all), line(minutes(9), .resolve, "alert resolved"),
                .publish(StatusPublication(trigger: .onResolved, key: "r1/on_resolved", at: minutes(9))),
            ], .resolved
        ),
        (
            "a person resolves an acknowledged run, with a note", acked, .person("ana", note: "fixed"),
            [
                .cancelTimers(.all), line(minutes(9), .resolve, "resolved by ana: fixed"),
                .publish(StatusPublication(trigger: .onResolved, key: "r1/on_resolved", at: minutes(9))),
            ], .resolved
        ),
        (
            "resolved_when while the steps run: the run stays running until its end is recorded", running,
            .condition("steps.check.ok"),
            [
                .cancelTimers(.all), line(minutes(9), .resolve, "resolved_when holds (steps.check.ok)"),
                .publish(StatusPublication(trigger: .onResolved, key: "r1/on_resolved", at: minutes(9))),
            ], .running
        ),
        ("a second resolution changes nothing", resolved, .alert, [], .resolved),
        (
            "a failed run keeps its state, and escalation stops", RunStanding(state: .failed), .alert,
            [
                .markAlertResolved, .cancelTimers(.all), line(minutes(9), .resolve, "alert resolved"),
                .publish(StatusPublication(trigger: .onResolved, key: "r1/on_resolved", at: minutes(9))),
            ], .failed
        ),
    ]

    @Test(arguments: resolutionCases)
    func aResolution(
        _ name: String, standing: RunStanding, resolution: RunResolution, expected: [RunAction], state: RunState
    ) {
        var lifecycle = LifecycleFixtures.lifecycle(standing: standing)
        #expect(lifecycle.resolve(resolution, at: clock.at(minutes(9))) == expected, "\(name)")
        #expect(lifecycle.standing.state == state)
        #expect(lifecycle.isResolved)
    }

    static let endingCases: [(String, RunStanding, Bool, Bool, [RunAction])] = [
        (
            "steps succeeded, nothing resolved it: open, escalating", running, true, false,
            [.finish(state: .open, outcome: .succeeded)]
        ),
        (
            "acknowledged while the steps ran", RunStanding(acknowledged: true), true, false,
            [.finish(state: .acked, outcome: .acked)]
        ),
        (
            "resolved while the steps ran: every timer stops", RunStanding(resolved: true), true, false,
            [.cancelTimers(.all), .finish(state: .resolved, outcome: .resolved)]
        ),
        (
            "a resolution wins over a failed step", RunStanding(resolved: true), false, false,
            [.cancelTimers(.all), .finish(state: .resolved, outcome: .resolved)]
        ),
        ("a failed step fails the run", running, false, false, [.finish(state: .failed, outcome: .failed)]),
        (
            "an acknowledged run whose step failed is failed (it still pages)", RunStanding(acknowledged: true), false,
            false, [.finish(state: .failed, outcome: .failed)]
        ),
        ("a dry run renders", running, true, true, [.finish(state: .open, outcome: .rendered)]),
    ]

    @Test(arguments: endingCases)
    func theStepsEnd(_ name: String, standing: RunStanding, succeeded: Bool, dryRun: Bool, expected: [RunAction]) {
        var lifecycle = LifecycleFixtures.lifecycle(standing: standing, dryRun: dryRun)
        #expect(lifecycle.stepsEnded(succeeded: succeeded) == expected, "\(name)")
    }

    @Test func anAcknowledgementThenATimerThenAResolutionTellOneStory() {
        var lifecycle = LifecycleFixtures.lifecycle()
        #expect(lifecycle.timerDue(escalation(0, 0, at: minutes(5)), now: clock.at(minutes(5))).count == 3)
        _ = lifecycle.acknowledge(RunAcknowledgement(by: "ana"), at: clock.at(minutes(6)))
        #expect(lifecycle.timerDue(escalation(0, 1, at: minutes(15)), now: clock.at(minutes(15))).isEmpty)
        #expect(lifecycle.stepsEnded(succeeded: true) == [.finish(state: .acked, outcome: .acked)])
        _ = lifecycle.resolve(.alert, at: clock.at(minutes(30)))
        #expect(lifecycle.standing == RunStanding(state: .resolved, acknowledged: true, resolved: true))
        #expect(lifecycle.acknowledgement == RunAcknowledgement(by: "ana"))
        #expect(lifecycle.resolution == .alert)
    }
}
