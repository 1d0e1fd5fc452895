public import RunbookLifecycle

/// Hears about a run's progress as it happens. A server persists each call before the run goes
/// on, so that after a crash it knows which steps finished and which one was cut off.
///
/// A call that throws stops the run: a step whose start could not be recorded does not start
/// (after a crash nobody would know it may have acted), and a worker whose claim on the run was
/// taken over must not go on with it.
public protocol RunObserver: Sendable {
    /// A runbook-level step is about to run (not called for skipped or resumed steps).
    func stepStarted(_ stepID: String) async throws
    /// A runbook-level step finished, with its full result.
    func stepFinished(_ result: StepResult) async throws
    /// Lines added to the timeline since the last call, in order.
    func recorded(_ events: [TimelineEvent]) async throws
    /// An approval step started waiting for a decision (its full id), or stopped (nil).
    func approvalWaiting(_ step: String?) async throws
    /// An exhausted budget brought rung `rung` (0-based) forward to now; a server whose store
    /// keeps the timers moves it there.
    func escalationBroughtForward(rung: Int) async throws
}

extension RunObserver {
    public func approvalWaiting(_ step: String?) async throws {}
    public func escalationBroughtForward(rung: Int) async throws {}
}
