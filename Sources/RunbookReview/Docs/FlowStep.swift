public import RunbookCore

/// How a step reads in a flow diagram: what leaves it toward the next step, and where a failure
/// goes. One rule for both drawings (``MermaidFlow`` and ``FlowSVG``).
public struct FlowStep: Sendable, Equatable {
    /// The label of the edge to what follows (`ok`, `ok or failed`), nil for a wait.
    public var onward: String?
    /// The label of the edge to "run fails" (`fails after 2 retries`, `denied`), nil when the
    /// step cannot stop the run.
    public var failure: String?
    /// Where the flow ends when the step runs (a `stop`): nothing follows it but `finally`.
    public var ends: String?

    public init(_ step: Step) {
        if case .stop = step.action {
            onward = nil
            failure = nil
            ends = "run stops: done, not resolved"
        } else if case .wait = step.action {
            onward = nil
            failure = nil
        } else if step.continueOnError {
            onward = "ok or failed"
            failure = nil
        } else {
            onward = "ok"
            let retried = step.retries > 0 ? " after \(step.retries) \(step.retries == 1 ? "retry" : "retries")" : ""
            failure = (step.kind == .approval ? "denied" : "fails") + retried
        }
    }
}
