import RunbookLifecycle
import Testing

/// The rule both stores apply to a due tick (``TickDecision``).
@Suite struct TickDecisionTests {
    typealias Recorded = TickDecision.Recorded

    @Test(
        arguments: [
            (nil, 60, TickDecision.baseline),
            (Recorded(schedule: "every 2m", lastTick: 0, previousInHand: false), 60, .baseline),
            (Recorded(schedule: "every 1m", lastTick: 60, previousInHand: false), 60, .claimedAlready),
            (Recorded(schedule: "every 1m", lastTick: 120, previousInHand: false), 60, .claimedAlready),
            (Recorded(schedule: "every 1m", lastTick: 0, previousInHand: false), 60, .queue),
            (Recorded(schedule: "every 1m", lastTick: 0, previousInHand: false), 600, .queue),
            (Recorded(schedule: "every 1m", lastTick: 0, previousInHand: true), 60, .skipPreviousInHand),
        ] as [(Recorded?, Int64, TickDecision)])
    func decide(recorded: Recorded?, tick: Int64, expected: TickDecision) {
        #expect(TickDecision.decide(tick: tick, schedule: "every 1m", recorded: recorded) == expected)
    }
}
