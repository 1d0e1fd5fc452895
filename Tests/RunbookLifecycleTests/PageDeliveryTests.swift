import RunbookLifecycle
import Testing

@Suite struct PageDeliveryTests {
    @Test(arguments: [
        (3, 1, Duration?.some(.seconds(1))),
        (3, 2, .some(.seconds(2))),
        (3, 3, nil),
        (5, 4, .some(.seconds(8))),
        (1, 1, nil),
        (3, 0, nil),
    ])
    func failedDeliveriesAreTriedAgainWithADoublingPause(attempts: Int, failed: Int, expected: Duration?) {
        #expect(PageDelivery(attempts: attempts, backoff: .seconds(1)).delay(afterFailedAttempt: failed) == expected)
    }

    @Test func aBudgetBelowOneStillTriesOnce() {
        #expect(PageDelivery(attempts: 0).attempts == 1)
    }

    @Test(arguments: [
        // (fallback, rung, of, fallback failed) → handover
        (String?.none, 0, 3, false, PageDelivery.Handover.nextRung(index: 1)),
        (nil, 2, 3, false, .none),
        ("oncall-sms", 0, 3, false, .fallback(notifier: "oncall-sms")),
        ("oncall-sms", 0, 3, true, .nextRung(index: 1)),
        ("oncall-sms", 2, 3, true, .none),
    ])
    func aRungThatReachedNobodyHandsOverAtOnce(
        fallback: String?, rung: Int, of count: Int, fallbackFailed: Bool, expected: PageDelivery.Handover
    ) {
        let delivery = PageDelivery(fallback: fallback)
        #expect(delivery.handover(afterUndeliveredRung: rung, of: count, fallbackFailed: fallbackFailed) == expected)
    }

    @Test(arguments: [
        (3, Duration.seconds(1), Duration.seconds(10), Duration.seconds(33)),
        (1, .seconds(1), .seconds(10), .seconds(10)),
        (4, .seconds(2), .seconds(5), .seconds(34)),
    ])
    func aPageThatKeepsFailingTakesEveryAttemptAndEveryPause(
        attempts: Int, backoff: Duration, timeout: Duration, expected: Duration
    ) {
        #expect(PageDelivery(attempts: attempts, backoff: backoff).longestDelivery(perAttempt: timeout) == expected)
    }
}
