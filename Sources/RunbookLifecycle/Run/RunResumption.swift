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
