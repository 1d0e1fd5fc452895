public import RunbookCore

/// An escalation rung or status update a run has scheduled, at an offset from the run's start.
///
/// Public so a server can persist the same schedule the engine keeps in memory: the store
/// writes ``initialSchedule(for:)`` when a run starts and ``next(after:in:)`` when one fires.
public enum RunTimer: Sendable, Hashable, Codable {
    case escalation(rung: Int, repetition: Int)
    case statusUpdate(number: Int)

    public struct Scheduled: Sendable, Hashable {
        public var due: Duration
        public var timer: RunTimer

        public init(due: Duration, timer: RunTimer) {
            self.due = due
            self.timer = timer
        }
    }

    /// Every rung's first page and the first status update.
    public static func initialSchedule(for runbook: Runbook) -> [Scheduled] {
        var entries: [Scheduled] = []
        for (index, rung) in runbook.escalation.enumerated() {
            entries.append(Scheduled(due: rung.after, timer: .escalation(rung: index, repetition: 0)))
        }
        if let every = runbook.status.onUpdate?.every, every > .zero {
            entries.append(Scheduled(due: every, timer: .statusUpdate(number: 1)))
        }
        return entries.sorted { ($0.due, $0.timer.order) < ($1.due, $1.timer.order) }
    }

    /// What a timer schedules when it fires at `due`: a rung's reminder or the next status
    /// update. A firing that is late by several periods coalesces them: the next one is the
    /// first period after `now`, not a burst of missed ones.
    public func next(firedDue due: Duration, now: Duration, in runbook: Runbook) -> Scheduled? {
        let every: Duration?
        let following: RunTimer
        switch self {
        case .escalation(let rung, let repetition):
            guard runbook.escalation.indices.contains(rung) else { return nil }
            every = runbook.escalation[rung].repeatEvery
            following = .escalation(rung: rung, repetition: repetition + 1)
        case .statusUpdate(let number):
            every = runbook.status.onUpdate?.every
            following = .statusUpdate(number: number + 1)
        }
        guard let every, every > .zero else { return nil }
        var next = due + every
        while next <= now { next += every }
        return Scheduled(due: next, timer: following)
    }

    public var isEscalation: Bool {
        if case .escalation = self { return true }
        return false
    }

    /// Escalations before status updates at the same instant, rungs in ladder order.
    public var order: Int {
        switch self {
        case .escalation(let rung, _): rung
        case .statusUpdate: 10_000
        }
    }

    /// The idempotency key of this timer's firing in a run: stable across restarts and takeovers.
    public func key(runID: String) -> String {
        switch self {
        case .escalation(let rung, let repetition): "\(runID)/rung-\(rung + 1)/\(repetition)"
        case .statusUpdate(let number): "\(runID)/on_update/\(number)"
        }
    }
}
