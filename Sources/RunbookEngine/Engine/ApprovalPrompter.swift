public import RunbookLifecycle

/// What a person deciding an approval step sees: the step's prompt and what the steps before
/// it found, so an approval means someone saw the evidence.
public struct ApprovalRequest: Sendable {
    public var runID: String
    public var runbook: String
    /// The step's full id (`CALLER.STEP` inside a playbook call).
    public var step: String
    /// The step's rendered `message`, redacted.
    public var message: String?
    public var approvers: [String]
    public var minApprovers: Int
    public var timeout: Duration
    /// The run's finished steps so far, in order.
    public var findings: [StepResult]
}

/// How a run that no server controls gets a decision: `rbx run` asks on the terminal, or
/// takes `--approve STEP` / `--deny STEP` given in advance.
public protocol ApprovalPrompter: Sendable {
    /// Asks for a decision. Called once per approval step; the run stops waiting (and applies
    /// `on_timeout`) when the step's timeout elapses first.
    func decide(_ request: ApprovalRequest) async -> ApprovalAnswer
}

public enum ApprovalAnswer: Sendable, Equatable {
    case verdict(ApprovalGate.Verdict, by: Identity)
    /// Nobody can be asked (no terminal and no decision given in advance); the step fails
    /// with this explanation instead of guessing.
    case unavailable(String)
}
