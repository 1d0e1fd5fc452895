/// How rbx insists on a page: a failed delivery is tried again under the same idempotency key,
/// waiting longer each time, until the budget is spent; a rung that reached nobody hands over
/// at once to the fallback notifier, or else to the next rung, instead of waiting for its time.
///
/// Drills, `rbx run` and `rbx serve` ask this one rule, so a rehearsal pages as the server will.
public struct PageDelivery: Sendable, Equatable {
    /// Deliveries tried per notifier, the first included (at least 1).
    public var attempts: Int
    /// The pause after the first failure; doubled after each further one.
    public var backoff: Duration
    /// The notifier paged when every notifier of a rung failed.
    public var fallback: String?

    public init(attempts: Int = 3, backoff: Duration = .seconds(1), fallback: String? = nil) {
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.fallback = fallback
    }

    /// The pause before trying again after attempt `attempt` (1-based) failed, or nil when
    /// that was the last one.
    public func delay(afterFailedAttempt attempt: Int) -> Duration? {
        guard attempt >= 1, attempt < attempts else { return nil }
        var delay = backoff
        for _ in 1..<attempt { delay *= 2 }
        return delay
    }

    /// The longest a page to one notifier can take when every attempt fails: each attempt up to
    /// `perAttempt` (the notifier's timeout), plus the pauses between them.
    public func longestDelivery(perAttempt: Duration) -> Duration {
        var total = perAttempt * attempts
        for attempt in 1..<attempts { total += delay(afterFailedAttempt: attempt) ?? .zero }
        return total
    }

    /// Where a page goes when rung `rung` (0-based, of `rungCount`) reached nobody.
    public enum Handover: Sendable, Equatable {
        /// Page the fallback notifier now, with the rung's message.
        case fallback(notifier: String)
        /// Fire rung `index` now instead of at its time.
        case nextRung(index: Int)
        /// The fallback failed too, or there is neither a fallback nor a further rung: the
        /// failure stays in the timeline, the log and `rbx_notifications_failed_total`.
        case none
    }

    /// What follows an undelivered rung. `fallbackFailed` says the fallback was tried for this
    /// rung and did not take it either.
    public func handover(afterUndeliveredRung rung: Int, of rungCount: Int, fallbackFailed: Bool = false) -> Handover {
        if let fallback, !fallbackFailed { return .fallback(notifier: fallback) }
        return rung + 1 < rungCount ? .nextRung(index: rung + 1) : .none
    }
}
