/// What the run lifecycle asks its driver to do. A driver (the engine for drills and `rbx run`,
/// the server's scheduler and API for a stored run) carries actions out in order and reports
/// back what only it can know: whether a page reached anyone.
public enum RunAction: Sendable, Equatable {
    /// Add a line to the run's timeline.
    case record(TimelineEvent)
    /// Page a rung's notifiers with the rung's message, under `key` (stable across retries,
    /// restarts and takeovers). If nobody takes it, report ``RunLifecycle/pageUndelivered(_:at:fallbackFailed:)``.
    case page(RunPage)
    /// Publish a status message (`on_start`, `on_update`, `on_resolved`) and notify its notifiers.
    case publish(StatusPublication)
    /// Keep a timer for its due time (in memory, or in the store).
    case schedule(RunTimer.Scheduled)
    case cancelTimers(RunStanding.TimerCancellation)
    /// Make rung `rung`'s first page due at `to` (an offset from the start) if it is due later.
    case bringForward(rung: Int, to: Duration)
    /// The alert resolved: messages rendered from now on see it resolved.
    case markAlertResolved
    /// The run's steps are over: record its outcome and state.
    case finish(state: RunState, outcome: RunRecord.Outcome)
}

/// One page of an escalation rung, or of the fallback notifier for a rung that reached nobody.
public struct RunPage: Sendable, Hashable {
    public var rung: Int
    /// 0 for the first page, then 1, 2, … for `repeat` reminders.
    public var repetition: Int
    public var notify: [String]
    public var key: String
    /// The offset the page was due at, which its message and timeline line carry.
    public var at: Duration
    /// The fallback notifier, paged because the rung's own notifiers all failed.
    public var isFallback = false

    public init(rung: Int, repetition: Int, notify: [String], key: String, at: Duration, isFallback: Bool = false) {
        self.rung = rung
        self.repetition = repetition
        self.notify = notify
        self.key = key
        self.at = at
        self.isFallback = isFallback
    }
}

/// A status message to publish.
public struct StatusPublication: Sendable, Hashable {
    public var trigger: RenderedMessage.Trigger
    public var key: String
    public var at: Duration

    public init(trigger: RenderedMessage.Trigger, key: String, at: Duration) {
        self.trigger = trigger
        self.key = key
        self.at = at
    }
}
