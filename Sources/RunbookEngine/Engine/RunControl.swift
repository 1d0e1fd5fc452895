public import RunbookLifecycle

/// The engine's API for people: decide an approval step, acknowledge or resolve a run.
///
/// An approval step opens its ``ApprovalGate`` here when it starts waiting, and only then does
/// a decision count: one given earlier, for another step, or by someone the step does not list
/// is refused with the reason, so the API can answer 409 or 403 at once. Acknowledgements and
/// resolutions are kept until the run looks at them; a live run checks at least once a second.
public actor RunControl {
    private var gate: ApprovalGate?
    private var acknowledgement: RunAcknowledgement?
    private var resolution: RunResolution?

    public init() {}

    /// The approval step waiting for a decision now, if any.
    public var waitingStep: String? { gate?.step }

    /// Takes a decision for `step`: accepted only while that step waits and from an identity
    /// the step allows.
    public func decide(
        _ verdict: ApprovalGate.Verdict, step: String, by identity: Identity
    ) -> Result<ApprovalGate.Outcome, ApprovalRejection> {
        guard var open = gate else { return .failure(ApprovalGate.notWaiting(step: step)) }
        let result = open.decide(verdict, step: step, by: identity)
        gate = open
        return result
    }

    public func acknowledge(by person: String, note: String? = nil) {
        if acknowledgement == nil { acknowledgement = RunAcknowledgement(by: person, note: note) }
    }

    public func resolve(_ resolution: RunResolution) {
        if self.resolution == nil { self.resolution = resolution }
    }

    func open(_ gate: ApprovalGate) { self.gate = gate }

    /// The gate's outcome; a final one closes the gate.
    func outcome(of step: String) -> ApprovalGate.Outcome? {
        guard let gate, gate.step == step else { return nil }
        if gate.outcome.isFinal { self.gate = nil }
        return gate.outcome
    }

    func close(_ step: String) {
        if gate?.step == step { gate = nil }
    }

    public var acknowledged: RunAcknowledgement? { acknowledgement }
    public var resolved: RunResolution? { resolution }
}
