import Synchronization

/// A clock for drills: sleeping moves time forward at once instead of waiting.
///
/// A drill rehearses a runbook whose escalation ladder spans hours; with this clock the
/// engine's waits (backoff, polling intervals, `wait` steps, escalation rungs) take no real
/// time, while every event is still stamped with the virtual time it happened at. Only one
/// task should sleep on it at a time — the run engine does all its waiting in one place.
public final class VirtualClock: Clock, Sendable {
    public struct Instant: InstantProtocol, Sendable {
        public var offset: Duration

        public init(offset: Duration) { self.offset = offset }

        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private let current = Mutex(Instant(offset: .zero))

    public init() {}

    public var now: Instant { current.withLock { $0 } }
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// Moves time forward to `deadline` (never backwards) and returns without waiting.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        advance(to: deadline)
    }

    /// Moves time forward, e.g. by the real duration of a diagnostic a drill really ran.
    public func advance(to instant: Instant) {
        current.withLock { now in
            if now < instant { now = instant }
        }
    }

    public func advance(by duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}
