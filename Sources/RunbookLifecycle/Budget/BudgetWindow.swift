import RunbookCore

/// The one rule of remediation budgets: given the times of a budget's uses, is one more
/// allowed now? Both stores, the in-memory ledger of drills and `rbx test`, and the server's
/// listing call it, so they cannot disagree on what "3 per 1h" means.
///
/// The window slides: a use counts while it is younger than `per` (a use exactly `per` old has
/// left it). A use stamped later than `now` (another replica's clock runs ahead) counts too.
///
/// ```swift
/// let window = BudgetWindow(max: 3, per: .seconds(3600))
/// window.decide(uses: [0, 600_000, 1_200_000], now: 1_800_000)  // .exhausted(used: 3, nextFreeAt: 3_600_000)
/// ```
public struct BudgetWindow: Sendable, Hashable {
    public var max: Int
    public var per: Duration

    public enum Verdict: Sendable, Hashable {
        /// One more use fits: `used` counts it.
        case granted(used: Int)
        /// `used` uses (at least `max`) are in the window; the next one fits at `nextFreeAt`.
        case exhausted(used: Int, nextFreeAt: Int64)
    }

    public init(max: Int, per: Duration) {
        self.max = max
        self.per = per
    }

    /// The uses (epoch milliseconds, any order) still in the window at `now`, oldest first.
    public func inWindow(_ uses: [Int64], now: Int64) -> [Int64] {
        let start = now - per.totalMilliseconds
        return uses.filter { $0 > start }.sorted()
    }

    public func decide(uses: [Int64], now: Int64) -> Verdict {
        let counted = inWindow(uses, now: now)
        guard counted.count >= max else { return .granted(used: counted.count + 1) }
        return .exhausted(used: counted.count, nextFreeAt: nextFree(counted))
    }

    /// When enough of `counted` (in the window, oldest first, at least `max`) have left it for
    /// one more use: the use that has to leave is the one `max` places before the newest.
    private func nextFree(_ counted: [Int64]) -> Int64 {
        counted[counted.count - max] + per.totalMilliseconds
    }
}
