public import RunbookCore

/// What a catalog reload that changed a run's escalation ladder does to the run's escalation
/// timers. Pending rungs of an unchanged ladder keep their due times (nothing here runs); a
/// changed ladder moves them to the new ladder's times, measured from the run's start as
/// always.
///
/// Rungs are matched by position, as their timers are keyed (`RUN/rung-N/0`): rung N of the new
/// ladder takes over rung N's timer. A rung that already paged is not paged again; one still
/// pending moves to its new time (which may be now: it pages at once, since the new ladder says
/// it is due); a rung the old ladder did not have is added; pending rungs past the end of the new
/// ladder are cancelled. Reminders already scheduled keep their times.
public enum LadderReplan {
    /// A rung as far as timing and paging go, without where it is written: a reload that only
    /// moves lines in a file changes no ladder.
    public struct Rung: Sendable, Equatable {
        public var after: Duration
        public var notify: [String]
        public var repeatEvery: Duration?
        public var template: String?
        public var fallback: [String]

        public init(_ rung: EscalationRung) {
            after = rung.after
            notify = rung.notify.map(\.value)
            repeatEvery = rung.repeatEvery
            template = rung.template?.value
            fallback = rung.fallback.map(\.value)
        }
    }

    /// One escalation timer of the run that has not fired yet (pending, or claimed by a
    /// scheduler that is firing it now).
    public struct StoredRung: Sendable, Equatable {
        public var id: Int64
        public var rung: Int
        public var repetition: Int
        /// Claimed by a scheduler that is firing it: it is left alone.
        public var claimed: Bool
        public var dueAt: Int64

        public init(id: Int64, rung: Int, repetition: Int, claimed: Bool = false, dueAt: Int64) {
            self.id = id
            self.rung = rung
            self.repetition = repetition
            self.claimed = claimed
            self.dueAt = dueAt
        }
    }

    public enum Change: Sendable, Equatable {
        /// The pending timer `id` is due at `dueAt` (epoch milliseconds) now.
        case move(id: Int64, dueAt: Int64)
        /// The pending timer `id` will not fire.
        case cancel(id: Int64)
        /// A first page the old ladder did not have, due at the run's start plus its `after`.
        case add(RunTimer.Scheduled)
    }

    /// Whether two ladders page differently. Compare ladders planned for the run's alert
    /// (`Catalog.runbook(named:for:)`): rungs whose `when` does not hold are already left out.
    public static func differ(_ old: [EscalationRung], _ new: [EscalationRung]) -> Bool {
        old.map(Rung.init) != new.map(Rung.init)
    }

    /// The changes that give a run started at `startedAt` (epoch milliseconds), whose unfired
    /// escalation timers are `unfired`, the ladder `ladder`. A rung with no unfired first page is
    /// added; the store adds nothing where that rung's page already exists (fired, or cancelled
    /// by an acknowledgement), since timers are unique by key.
    public static func changes(ladder: [EscalationRung], unfired: [StoredRung], startedAt: Int64) -> [Change] {
        var changes: [Change] = []
        for (index, rung) in ladder.enumerated() {
            let due = startedAt + rung.after.totalMilliseconds
            if let first = unfired.first(where: { $0.rung == index && $0.repetition == 0 }) {
                if !first.claimed, first.dueAt != due { changes.append(.move(id: first.id, dueAt: due)) }
            } else {
                changes.append(
                    .add(RunTimer.Scheduled(due: rung.after, timer: .escalation(rung: index, repetition: 0))))
            }
        }
        for timer in unfired where !timer.claimed && timer.rung >= ladder.count {
            changes.append(.cancel(id: timer.id))
        }
        return changes
    }
}
