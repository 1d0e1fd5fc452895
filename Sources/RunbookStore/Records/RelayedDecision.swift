public import RunbookLifecycle

/// An approval or denial sent through the store to whichever replica executes the run.
///
/// A run's approval gate lives in the process executing its steps (decision 0006), but an API
/// call may reach any replica. That replica writes the decision `pending` and waits; the
/// executing replica takes it (`pending → taken`, once), asks the run's gate and writes the
/// answer (`answered`). A caller that gives up withdraws the decision only while it is still
/// pending (`expired`), so a decision is either applied and answered or never applied.
public struct RelayedDecision: Sendable, Equatable {
    public var id: Int64
    public var runID: String
    public var step: String
    public var verdict: ApprovalGate.Verdict
    public var identity: Identity

    public init(id: Int64, runID: String, step: String, verdict: ApprovalGate.Verdict, identity: Identity) {
        self.id = id
        self.runID = runID
        self.step = step
        self.verdict = verdict
        self.identity = identity
    }
}

/// What the replica executing the run answered.
public enum DecisionAnswer: Sendable, Equatable, Codable {
    /// The gate took the decision; `final` when it approved or denied the step.
    case taken(final: Bool)
    /// The gate refused it, with ``ApprovalRejection``'s code, waiting step and message.
    case refused(code: String, waiting: String?, message: String)

    public init(_ result: Result<ApprovalGate.Outcome, ApprovalRejection>) {
        switch result {
        case .success(let outcome): self = .taken(final: outcome.isFinal)
        case .failure(let rejection):
            self = .refused(code: rejection.code.description, waiting: rejection.waiting, message: rejection.message)
        }
    }
}
