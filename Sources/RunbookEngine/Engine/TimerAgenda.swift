import RunbookLifecycle

/// The escalation rungs and status updates still to come, as offsets from the start of the run.
///
/// Timers are absolute deadlines: a rung that fell due while a step ran fires as soon as the
/// run looks again, stamped with the time it was due, and never twice. When a server owns the
/// timers (``RunOptions/timers``), the agenda keeps nothing and the store fires them instead.
struct TimerAgenda: RunTimerKeeper {
    private(set) var entries: [RunTimer.Scheduled] = []
    /// False when the store keeps the run's timers.
    let owned: Bool

    init(owned: Bool = true) {
        self.owned = owned
    }

    var nextDue: Duration? { entries.first?.due }

    mutating func popDue(atOrBefore time: Duration) -> RunTimer.Scheduled? {
        guard let first = entries.first, first.due <= time else { return nil }
        entries.removeFirst()
        return first
    }

    mutating func schedule(_ entry: RunTimer.Scheduled) {
        guard owned else { return }
        entries.append(entry)
        entries.sort { ($0.due, $0.timer.order) < ($1.due, $1.timer.order) }
    }

    /// Makes rung `rung`'s first page due at `time` if it is pending and due later.
    mutating func bringForward(rung: Int, to time: Duration) {
        guard let index = entries.firstIndex(where: { $0.timer == .escalation(rung: rung, repetition: 0) }),
            entries[index].due > time
        else { return }
        let entry = entries.remove(at: index)
        schedule(RunTimer.Scheduled(due: time, timer: entry.timer))
    }

    mutating func cancel(_ scope: RunStanding.TimerCancellation) {
        switch scope {
        case .none: break
        case .escalations: entries.removeAll { $0.timer.isEscalation }
        case .all: entries.removeAll()
        }
    }
}
