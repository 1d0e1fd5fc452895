import RunbookCore

/// The escalation rungs and status updates still to come, as offsets from the start of the run.
///
/// Timers are absolute deadlines: a rung that fell due while a step ran fires as soon as the
/// run looks again, stamped with the time it was due, and never twice.
struct TimerAgenda {
    enum Timer: Equatable {
        case escalation(rung: Int, repetition: Int)
        case statusUpdate(number: Int)
    }

    struct Entry {
        var due: Duration
        var timer: Timer
    }

    private(set) var entries: [Entry] = []

    init(runbook: Runbook) {
        for (index, rung) in runbook.escalation.enumerated() {
            entries.append(Entry(due: rung.after, timer: .escalation(rung: index, repetition: 0)))
        }
        if let every = runbook.status.onUpdate?.every, every > .zero {
            entries.append(Entry(due: every, timer: .statusUpdate(number: 1)))
        }
        sort()
    }

    var nextDue: Duration? { entries.first?.due }

    mutating func popDue(atOrBefore time: Duration) -> Entry? {
        guard let first = entries.first, first.due <= time else { return nil }
        entries.removeFirst()
        return first
    }

    mutating func schedule(_ entry: Entry) {
        entries.append(entry)
        sort()
    }

    mutating func cancelEscalations() {
        entries.removeAll { if case .escalation = $0.timer { true } else { false } }
    }

    mutating func cancelAll() { entries.removeAll() }

    private mutating func sort() {
        entries.sort { ($0.due, $0.order) < ($1.due, $1.order) }
    }
}

extension TimerAgenda.Entry {
    /// Escalations before status updates at the same instant, rungs in ladder order.
    fileprivate var order: Int {
        switch timer {
        case .escalation(let rung, _): rung
        case .statusUpdate: 10_000
        }
    }
}
