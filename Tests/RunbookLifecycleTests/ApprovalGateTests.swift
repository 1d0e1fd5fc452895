import RunbookLifecycle
import Testing

/// Who may decide an approval step and when: (gate, decisions in order) → outcome or refusal.
struct ApprovalGateTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var gate: ApprovalGate
        /// (verdict, step named, identity)
        var decisions: [(ApprovalGate.Verdict, String, Identity)]
        /// The result of the last decision: an outcome, or a refusal's code.
        var expected: Expected
        var testDescription: String { name }
    }

    enum Expected: Sendable {
        case outcome(ApprovalGate.Outcome)
        case refused(ApprovalRejection.Code)
    }

    static let alice = Identity(name: "alice", roles: ["team-lead"])
    static let bob = Identity(name: "bob", roles: ["secondary-oncall"])
    static let eve = Identity(name: "eve")

    static let cases: [Case] = [
        Case(
            name: "anyone approves a gate without approvers", gate: ApprovalGate(step: "gate"),
            decisions: [(.approve, "gate", eve)], expected: .outcome(.approved(by: ["eve"]))),
        Case(
            name: "a decision for another step is refused as not waiting", gate: ApprovalGate(step: "gate"),
            decisions: [(.approve, "gaet", alice)], expected: .refused(.notWaiting)),
        Case(
            name: "an approver listed by role decides",
            gate: ApprovalGate(step: "gate", approvers: ["team-lead"]),
            decisions: [(.approve, "gate", alice)], expected: .outcome(.approved(by: ["alice"]))),
        Case(
            name: "an approver listed by name decides",
            gate: ApprovalGate(step: "gate", approvers: ["bob"]),
            decisions: [(.deny, "gate", bob)], expected: .outcome(.denied(by: "bob"))),
        Case(
            name: "someone not listed is refused", gate: ApprovalGate(step: "gate", approvers: ["team-lead"]),
            decisions: [(.approve, "gate", eve)], expected: .refused(.notAnApprover)),
        Case(
            name: "someone not listed cannot deny either", gate: ApprovalGate(step: "gate", approvers: ["team-lead"]),
            decisions: [(.deny, "gate", eve)], expected: .refused(.notAnApprover)),
        Case(
            name: "four eyes: one approval leaves the gate pending", gate: ApprovalGate(step: "gate", minApprovers: 2),
            decisions: [(.approve, "gate", alice)], expected: .outcome(.pending(approvedBy: ["alice"], needed: 1))),
        Case(
            name: "four eyes: the same person twice is refused", gate: ApprovalGate(step: "gate", minApprovers: 2),
            decisions: [(.approve, "gate", alice), (.approve, "gate", alice)], expected: .refused(.alreadyDecided)),
        Case(
            name: "four eyes: two people approve", gate: ApprovalGate(step: "gate", minApprovers: 2),
            decisions: [(.approve, "gate", alice), (.approve, "gate", bob)],
            expected: .outcome(.approved(by: ["alice", "bob"]))),
        Case(
            name: "four eyes: a denial after one approval ends the gate",
            gate: ApprovalGate(step: "gate", minApprovers: 2),
            decisions: [(.approve, "gate", alice), (.deny, "gate", bob)], expected: .outcome(.denied(by: "bob"))),
        Case(
            name: "four eyes: the person who started the run by hand may not approve it",
            gate: ApprovalGate(step: "gate", minApprovers: 2, startedBy: "alice"),
            decisions: [(.approve, "gate", alice)], expected: .refused(.startedTheRun)),
        Case(
            name: "one approver: the person who started the run approves it",
            gate: ApprovalGate(step: "gate", startedBy: "alice"),
            decisions: [(.approve, "gate", alice)], expected: .outcome(.approved(by: ["alice"]))),
        Case(
            name: "a decided gate takes no more decisions", gate: ApprovalGate(step: "gate"),
            decisions: [(.deny, "gate", alice), (.approve, "gate", bob)], expected: .refused(.notWaiting)),
    ]

    @Test(arguments: cases)
    func decisions(_ testCase: Case) {
        var gate = testCase.gate
        var last: Result<ApprovalGate.Outcome, ApprovalRejection>?
        for (verdict, step, identity) in testCase.decisions { last = gate.decide(verdict, step: step, by: identity) }
        switch (last, testCase.expected) {
        case (.success(let outcome)?, .outcome(let expected)):
            #expect(outcome == expected)
            #expect(gate.outcome == expected)
        case (.failure(let rejection)?, .refused(let code)):
            #expect(rejection.code == code)
        default:
            Issue.record("got \(String(describing: last)), expected \(testCase.expected)")
        }
    }

    @Test func refusalsNameTheStepThatWaitsAndMapToHTTPStatuses() {
        var gate = ApprovalGate(step: "approve_restart", approvers: ["team-lead"])
        guard case .failure(let early) = gate.decide(.approve, step: "restart", by: Self.alice) else {
            Issue.record("a decision for another step was taken")
            return
        }
        #expect(early.message == "the run is waiting for a decision on step \"approve_restart\", not \"restart\"")
        #expect(early.waiting == "approve_restart")
        #expect(early.code.httpStatus == 409)
        guard case .failure(let stranger) = gate.decide(.approve, step: "approve_restart", by: Self.eve) else {
            Issue.record("an approver not listed was taken")
            return
        }
        #expect(stranger.message == "eve may not decide step \"approve_restart\"; its approvers are team-lead")
        #expect(stranger.code.httpStatus == 403)
        #expect(ApprovalGate.notWaiting(step: "gate").code.httpStatus == 409)
        #expect(ApprovalGate.unknownStep("gaet", runbook: "web").code.httpStatus == 404)
        #expect(ApprovalGate.unknownStep("gaet", runbook: "web").message == "runbook web has no approval step \"gaet\"")
    }
}
