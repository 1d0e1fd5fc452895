/// What a replica does with a schedule's due tick, decided inside the store's transaction from
/// what the store holds for that runbook: the one rule both stores apply, so SQLite and
/// PostgreSQL cannot disagree on "exactly once per tick".
///
/// - A runbook the store has not seen with this schedule text starts counting now: the tick
///   is recorded, not run (a new check does not run for a tick from before it existed, nor an
///   edited schedule for the old one's).
/// - A tick at or before the last one recorded was claimed already, by another replica or before
///   a restart.
/// - Otherwise the tick is claimed; several missed ticks (the server was down) are one claim of
///   the latest, so they coalesce into one run. It queues a run unless the previous tick's run
///   is still in hand: then the tick is skipped, and counted, rather than run twice at once.
public enum TickDecision: Sendable, Equatable {
    case baseline
    case claimedAlready
    case skipPreviousInHand
    case queue

    /// What the store holds for one scheduled runbook.
    public struct Recorded: Sendable, Equatable {
        public var schedule: String
        public var lastTick: Int64
        /// The previous tick's alert still waits for a worker or its run still runs.
        public var previousInHand: Bool

        public init(schedule: String, lastTick: Int64, previousInHand: Bool) {
            self.schedule = schedule
            self.lastTick = lastTick
            self.previousInHand = previousInHand
        }
    }

    public static func decide(tick: Int64, schedule: String, recorded: Recorded?) -> TickDecision {
        guard let recorded, recorded.schedule == schedule else { return .baseline }
        if tick <= recorded.lastTick { return .claimedAlready }
        return recorded.previousInHand ? .skipPreviousInHand : .queue
    }
}

/// What the store did with a tick.
public enum TickClaim: Sendable, Equatable {
    /// The first tick seen for this schedule: recorded, not run.
    case baseline
    /// Another replica, or this one before a restart, claimed it.
    case claimedAlready
    /// Claimed and skipped: the previous tick's run (alert `alertID`) is still going.
    case skipped(previousAlertID: Int64)
    /// Claimed: alert `alertID` is queued for a worker.
    case queued(alertID: Int64)
}
