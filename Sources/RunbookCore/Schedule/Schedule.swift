/// When a scheduled runbook or check runs without an alert (`schedule:`).
///
/// Ticks are instants every replica computes alike from the text alone: `every 5m` ticks at the
/// multiples of five minutes since the Unix epoch, a cron expression at the minutes it names in
/// UTC. The server claims each tick once in the store; what it needs from here is the latest
/// tick at or before now (a restart after missed ticks runs only that one: they coalesce) and
/// the next one (when to wake).
public struct Schedule: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case every(Duration)
        case cron(CronExpression)
    }

    public var kind: Kind
    /// As the catalog wrote it, for docs, diffs and the store (a changed text starts afresh).
    public var text: String

    /// The shortest interval `every` accepts: ticks closer than this are a typo, not a check.
    public static let shortestInterval = Duration.seconds(1)

    /// `every DURATION`, a five-field cron expression, or one of `@hourly`, `@daily`
    /// (`@midnight`), `@weekly`, `@monthly`, `@yearly` (`@annually`).
    /// - Throws: the problem and its offset in `text`.
    public static func parse(_ text: String) throws(ExpressionSyntaxError) -> Schedule {
        let trimmed = text.drop { $0 == " " }
        let lead = text.unicodeScalars.count - trimmed.unicodeScalars.count
        if trimmed.hasPrefix("every ") || trimmed == "every" {
            let spec = trimmed.dropFirst("every".count).drop { $0 == " " }
            let offset = text.unicodeScalars.count - spec.unicodeScalars.count
            guard !spec.isEmpty else {
                throw ExpressionSyntaxError("every needs a duration, like every 5m", at: offset)
            }
            switch Duration.parseRunbookDuration(String(spec).trimmingTrailingSpaces) {
            case .success(let interval):
                guard interval >= shortestInterval else {
                    throw ExpressionSyntaxError("every needs an interval of at least 1s", at: offset)
                }
                return Schedule(kind: .every(interval), text: text)
            case .failure(let failure):
                throw ExpressionSyntaxError("\(failure)", at: offset)
            }
        }
        let cron = try CronExpression.parse(String(trimmed).trimmingTrailingSpaces, offset: lead)
        return Schedule(kind: .cron(cron), text: text)
    }

    public var description: String { text }

    /// The latest tick at or before `instant` (epoch milliseconds); nil when the expression
    /// names no instant within the search horizon (``CronExpression/horizonYears``).
    public func latestTick(atOrBefore instant: Int64) -> Int64? {
        switch kind {
        case .every(let interval):
            let step = interval.totalMilliseconds
            return CronExpression.floorDiv(instant, step) * step
        case .cron(let cron):
            return cron.latest(atOrBefore: instant)
        }
    }

    /// The first tick after `instant`; nil when there is none within the horizon.
    public func nextTick(after instant: Int64) -> Int64? {
        switch kind {
        case .every(let interval):
            let step = interval.totalMilliseconds
            return (CronExpression.floorDiv(instant, step) + 1) * step
        case .cron(let cron):
            return cron.next(after: instant)
        }
    }

    /// The time between the next two ticks after `instant`: how long a raised alert stays
    /// firing unless the next run raises it again.
    public func gap(after instant: Int64) -> Duration? {
        guard let first = nextTick(after: instant), let second = nextTick(after: first) else { return nil }
        return .milliseconds(second - first)
    }
}

extension String {
    fileprivate var trimmingTrailingSpaces: String {
        String(self.reversed().drop { $0 == " " }.reversed())
    }
}
