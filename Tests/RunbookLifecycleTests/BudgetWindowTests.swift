import RunbookCore
import RunbookLifecycle
import Testing

@Suite("Budgets: the window rule and what an exhausted budget does to escalation")
struct BudgetWindowTests {
    static let hour: Int64 = 3_600_000

    /// (what, max, uses, now, expected)
    static let cases: [(String, Int, [Int64], Int64, BudgetWindow.Verdict)] = [
        ("an unused budget grants the first use", 3, [], 0, .granted(used: 1)),
        ("two uses of three grant the third", 3, [0, 60_000], 120_000, .granted(used: 3)),
        (
            "three uses of three within the hour are exhausted until the oldest leaves", 3, [0, 600_000, 1_200_000],
            1_800_000, .exhausted(used: 3, nextFreeAt: hour)
        ),
        (
            "uses given in any order are sorted", 3, [1_200_000, 0, 600_000], 1_800_000,
            .exhausted(used: 3, nextFreeAt: hour)
        ),
        ("a use exactly one window old has left it", 3, [0, 600_000, 1_200_000], hour, .granted(used: 3)),
        (
            "a use a millisecond younger still counts", 3, [1, 600_000, 1_200_000], hour,
            .exhausted(used: 3, nextFreeAt: hour + 1)
        ),
        (
            "with more uses than max (max lowered), the next use waits for enough of them to leave", 2,
            [0, 100_000, 200_000, 300_000], 400_000, .exhausted(used: 4, nextFreeAt: 200_000 + hour)
        ),
        (
            "a use stamped ahead of now (another replica's clock) counts", 1, [500_000], 400_000,
            .exhausted(used: 1, nextFreeAt: 500_000 + hour)
        ),
        ("old uses beyond the window are ignored", 1, [0, 10], 2 * hour, .granted(used: 1)),
    ]

    @Test(arguments: cases)
    func verdicts(_ what: String, max: Int, uses: [Int64], now: Int64, expected: BudgetWindow.Verdict) {
        let window = BudgetWindow(max: max, per: .seconds(3600))
        #expect(window.decide(uses: uses, now: now) == expected, "\(what)")
    }

    @Test func notesSayWhatWasSpentAndWhenTheNextUseFrees() {
        let request = BudgetRequest(
            budget: "high-cpu/restart/payments", runbook: "high-cpu", step: "restart", key: "payments", max: 3,
            per: .seconds(3600), runID: "r1")
        #expect(
            request.exhaustedNote(used: 3, nextFreeAt: 1_765_104_127_000)
                == "budget exhausted: 3 of 3 uses of restart for payments in the last 1h (next frees at 2025-12-07T10:42:07.000Z); not run"
        )
        let run = BudgetRequest(
            budget: "high-cpu//", runbook: "high-cpu", step: "", key: "", max: 1, per: .seconds(600), runID: "r1")
        #expect(
            run.exhaustedNote(used: 1, nextFreeAt: 0)
                == "budget exhausted: 1 of 1 runs of high-cpu in the last 10m (next frees at 1970-01-01T00:00:00.000Z); not run"
        )
        #expect(request.grantedNote(used: 2, alreadyGranted: false) == "budget: use 2 of 3 for payments in the last 1h")
    }

    @Test func anExhaustedBudgetBringsTheFirstRungNotYetDueForward() {
        let lifecycle = LifecycleFixtures.lifecycle()
        #expect(
            lifecycle.budgetExhausted(at: .seconds(60)) == [
                .record(
                    TimelineEvent(at: .seconds(60), kind: .escalation, summary: "budget exhausted; rung 1 is paged now")
                ),
                .bringForward(rung: 0, to: .seconds(60)),
            ])
        #expect(lifecycle.budgetExhausted(at: .seconds(400)).last == .bringForward(rung: 1, to: .seconds(400)))
        #expect(
            lifecycle.budgetExhausted(at: .seconds(1000)) == [
                .record(
                    TimelineEvent(
                        at: .seconds(1000), kind: .escalation, summary: "budget exhausted; every rung is already due"))
            ])
    }

    @Test func anAcknowledgedOrResolvedRunPagesNobodyForABudget() {
        #expect(
            LifecycleFixtures.lifecycle(standing: RunStanding(acknowledged: true)).budgetExhausted(at: .zero).isEmpty)
        #expect(LifecycleFixtures.lifecycle(standing: RunStanding(resolved: true)).budgetExhausted(at: .zero).isEmpty)
    }
}
