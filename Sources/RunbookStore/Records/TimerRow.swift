public import RunbookLifecycle

/// A persisted escalation rung or status update with its absolute due time.
public struct TimerRow: Sendable, Equatable {
    public enum State: String, Sendable, Codable { case pending, claimed, fired, cancelled }

    public var id: Int64
    public var runID: String
    public var alertID: Int64
    public var timer: RunTimer
    /// Epoch milliseconds of the run's start: `dueAt - baseAt` is the offset the run sees.
    public var baseAt: Int64
    public var dueAt: Int64
    /// Stable idempotency key of this firing (`run/rung-N/repetition`).
    public var key: String
    public var state: State
    public var firedAt: Int64?
    /// How many times the timer was claimed; more than one means an earlier claimant may have
    /// delivered it before dying.
    public var attempts: Int

    public var offset: Duration { .milliseconds(dueAt - baseAt) }
}
