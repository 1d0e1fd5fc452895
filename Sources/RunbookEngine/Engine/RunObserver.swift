/// Hears about a run's progress as it happens. A server persists each call before the run goes
/// on, so that after a crash it knows which steps finished and which one was cut off.
public protocol RunObserver: Sendable {
    /// A runbook-level step is about to run (not called for skipped or resumed steps).
    func stepStarted(_ stepID: String) async
    /// A runbook-level step finished, with its full result.
    func stepFinished(_ result: StepResult) async
    /// Lines added to the timeline since the last call, in order.
    func recorded(_ events: [TimelineEvent]) async
}

/// What an interrupted run already did, for the attempt that picks it up again.
///
/// Finished steps are not run again; their results feed later steps' expressions as before.
/// The step that was running when the process died is run again only if it is idempotent;
/// otherwise it is marked `interrupted` and the run stops for a person to decide.
public struct RunResumption: Sendable {
    public var finished: [StepResult]
    public var interruptedStep: String?

    public init(finished: [StepResult], interruptedStep: String?) {
        self.finished = finished
        self.interruptedStep = interruptedStep
    }
}
