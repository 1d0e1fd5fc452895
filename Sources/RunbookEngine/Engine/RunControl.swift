public import RunbookLifecycle

/// The engine's API for people: decide an approval step, acknowledge or resolve a run.
///
/// An approval step opens its ``ApprovalGate`` here when it starts waiting, and only then does
/// a decision count: one given earlier, for another step, or by someone the step does not list
/// is refused with the reason, so the API can answer 409 or 403 at once. Acknowledgements and
/// resolutions are kept until the run looks at them; a live run checks at least once a second.
public actor RunControl {
    /// Who acknowledged, with their note.
    public struct Acknowledgement: Sendable, Equatable {
        public var by: String
        public var note: String?

        public init(by: String, note: String? = nil) {
            self.by = by
            self.note = note
        }

        /// Who acknowledged, as the timeline says it: `ana (looking at it)`.
        public var who: String { by + (note.map { " (\($0))" } ?? "") }
    }

    /// Who or what resolved the run.
    public enum Resolution: Sendable, Equatable {
        case person(String, note: String?)
        /// The alert's resolved notification (or its `endsAt` passing).
        case alert

        /// The timeline's reason; "alert resolved" is also what marks the run's alert resolved
        /// for `on_resolved` (``RunSession/resolve(reason:at:)``).
        public var reason: String {
            switch self {
            case .alert: "alert resolved"
            case .person(let name, let note): "resolved by \(name)" + (note.map { ": \($0)" } ?? "")
            }
        }
    }

    private var gate: ApprovalGate?
    private var acknowledgement: Acknowledgement?
    private var resolution: Resolution?

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
        if acknowledgement == nil { acknowledgement = Acknowledgement(by: person, note: note) }
    }

    public func resolve(_ resolution: Resolution) {
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

    public var acknowledged: Acknowledgement? { acknowledgement }
    public var resolved: Resolution? { resolution }
}
