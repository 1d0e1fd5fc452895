/// Where a run stands with the people and the alert: its state, whether someone acknowledged
/// it, whether it is resolved. The rules that move it are here and nowhere else: the run's
/// lifecycle applies them in memory, and both stores apply them inside the transaction that
/// records the change (they read the row, ask this value, write what it says).
public struct RunStanding: Sendable, Hashable {
    public var state: RunState
    public var acknowledged: Bool
    public var resolved: Bool

    public init(state: RunState = .running, acknowledged: Bool = false, resolved: Bool = false) {
        self.state = state
        self.acknowledged = acknowledged
        self.resolved = resolved
    }

    /// Which of a run's pending timers a change ends.
    public enum TimerCancellation: Sendable, Hashable {
        case none
        /// Escalation rungs and their reminders: an acknowledged run stops paging but keeps
        /// its status updates until the alert resolves.
        case escalations
        case all
    }

    /// What a change did: the new state, and the timers it ends.
    public struct Change: Sendable, Hashable {
        public var state: RunState
        public var cancels: TimerCancellation

        public init(state: RunState, cancels: TimerCancellation) {
            self.state = state
            self.cancels = cancels
        }
    }

    /// A person acknowledged: escalation stops. Nil when it changes nothing (already
    /// acknowledged or resolved), so the first acknowledger's name is the one kept. A run whose
    /// steps are still running stays `running`; its end then records `acked`.
    public mutating func acknowledge() -> Change? {
        guard !acknowledged, !resolved else { return nil }
        acknowledged = true
        if state == .open { state = .acked }
        return Change(state: state, cancels: .escalations)
    }

    /// A person or the alert resolved the run: every timer stops. Nil when it was resolved
    /// already. A running run stays `running` (its steps stop, and its end records `resolved`);
    /// a failed one keeps `failed`, with the resolution noted.
    public mutating func resolve() -> Change? {
        guard !resolved else { return nil }
        resolved = true
        if state == .open || state == .acked || state == .stopped { state = .resolved }
        return Change(state: state, cancels: .all)
    }

    /// The run's steps ended with `outcome`. A resolution or acknowledgement that came while
    /// they ran wins over an outcome that did not see it; a run whose steps succeeded but that
    /// nothing resolved stays `open`, escalating, until someone acknowledges or it resolves.
    public mutating func finish(_ outcome: RunRecord.Outcome) -> Change {
        if outcome == .resolved { resolved = true }
        state =
            if resolved {
                .resolved
            } else {
                switch outcome {
                case .failed: .failed
                case .acked: .acked
                case .resolved: .resolved
                case .stopped: .stopped
                case .completed: .completed
                case .succeeded, .rendered: acknowledged ? .acked : .open
                }
            }
        // A stopped run is done: nothing more to page or update until the alert resolves it.
        return Change(state: state, cancels: [.resolved, .stopped, .completed].contains(state) ? .all : .none)
    }
}
