/// One approval step while it waits: who may decide and what has been decided so far.
///
/// This is the one place that says whether a decision counts. The engine's run control, the
/// server's API and `rbx run`'s prompt all hand decisions to it, so "approve before the gate
/// opens", "approve as someone not listed" and "approve your own run" are refused everywhere
/// alike. A value type with no clock and no I/O: tests drive it with plain values.
public struct ApprovalGate: Sendable, Equatable {
    /// `approve` or `deny`.
    public enum Verdict: String, Sendable, Hashable, Codable {
        case approve, deny
    }

    /// Where the gate stands after a decision was taken.
    public enum Outcome: Sendable, Equatable {
        /// Approved by some, more distinct approvers are needed.
        case pending(approvedBy: [String], needed: Int)
        case approved(by: [String])
        case denied(by: String)

        public var isFinal: Bool {
            if case .pending = self { return false }
            return true
        }
    }

    /// The step's full id (`CALLER.STEP` inside a playbook call).
    public let step: String
    /// Names or roles from the step's `approvers:`; empty lets any identity decide.
    public let approvers: [String]
    /// Distinct identities that must approve (`min_approvers`, default 1).
    public let minApprovers: Int
    /// The person who started the run by hand, if a person did; where four eyes are asked for
    /// (`min_approvers` of 2 or more) they are not one of them.
    public let startedBy: String?
    public private(set) var outcome: Outcome

    public init(step: String, approvers: [String] = [], minApprovers: Int = 1, startedBy: String? = nil) {
        self.step = step
        self.approvers = approvers
        self.minApprovers = max(1, minApprovers)
        self.startedBy = startedBy
        self.outcome = .pending(approvedBy: [], needed: max(1, minApprovers))
    }

    /// Takes a decision for `step` from `identity`, or says why it does not count. A denial by
    /// any permitted identity ends the gate: one "no" is enough to stop a destructive step.
    public mutating func decide(
        _ verdict: Verdict, step requested: String, by identity: Identity
    ) -> Result<Outcome, ApprovalRejection> {
        func reject(_ code: ApprovalRejection.Code, _ message: String) -> Result<Outcome, ApprovalRejection> {
            .failure(ApprovalRejection(code: code, step: requested, waiting: step, message: message))
        }
        guard requested == step else {
            return reject(.notWaiting, "the run is waiting for a decision on step \"\(step)\", not \"\(requested)\"")
        }
        guard case .pending(let approvedBy, _) = outcome else {
            return reject(.notWaiting, "step \"\(step)\" is already decided")
        }
        guard identity.isAny(of: approvers) else {
            return reject(
                .notAnApprover,
                "\(identity.name) may not decide step \"\(step)\"; its approvers are \(approvers.joined(separator: ", "))"
            )
        }
        if minApprovers > 1, let startedBy, startedBy == identity.name, verdict == .approve {
            return reject(
                .startedTheRun, "\(identity.name) started this run and may not approve it; ask another approver")
        }
        if approvedBy.contains(identity.name) {
            return reject(
                .alreadyDecided,
                "\(identity.name) already approved step \"\(step)\"; it needs \(minApprovers) different approvers")
        }
        switch verdict {
        case .deny:
            outcome = .denied(by: identity.name)
        case .approve:
            let approvals = approvedBy + [identity.name]
            outcome =
                approvals.count >= minApprovers
                ? .approved(by: approvals) : .pending(approvedBy: approvals, needed: minApprovers - approvals.count)
        }
        return .success(outcome)
    }

    /// The refusal for a decision that arrives while no gate is open.
    public static func notWaiting(step: String) -> ApprovalRejection {
        ApprovalRejection(
            code: .notWaiting, step: step, waiting: nil,
            message:
                "the run is not waiting for an approval now; step \"\(step)\" has not asked for one (or was decided)")
    }

    /// The refusal for a step the runbook does not have as an approval step.
    public static func unknownStep(_ step: String, runbook: String) -> ApprovalRejection {
        ApprovalRejection(
            code: .unknownStep, step: step, waiting: nil, message: "runbook \(runbook) has no approval step \"\(step)\""
        )
    }
}
