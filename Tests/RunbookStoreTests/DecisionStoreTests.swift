import RunbookLifecycle
import Testing

@testable import RunbookStore

/// Approvals relayed between replicas through the store: each decision is taken once, by the
/// replica executing its run, and either answered or withdrawn, never both.
@Suite struct DecisionStoreTests {
    private let ana = Identity(name: "ana", roles: ["lead"])

    @Test(arguments: StoreBackend.allCases)
    func aRelayedDecisionIsTakenOnceByTheReplicaExecutingItsRunAndAnswered(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let id = try await store.relayDecision(runID: "r1", step: "confirm", verdict: .approve, by: ana, now: 1_000)
        _ = try await store.relayDecision(runID: "r2", step: "confirm", verdict: .deny, by: ana, now: 1_000)
        #expect(try await store.takeDecisions(runIDs: ["r9"]).isEmpty, "a replica takes only its own runs'")
        let taken = try await store.takeDecisions(runIDs: ["r1", "r9"])
        #expect(taken == [RelayedDecision(id: id, runID: "r1", step: "confirm", verdict: .approve, identity: ana)])
        #expect(try await store.takeDecisions(runIDs: ["r1"]).isEmpty, "taken once")
        #expect(try await store.decisionAnswer(id: id) == nil)
        #expect(try await store.withdrawDecision(id: id) == false, "a taken decision can no longer be withdrawn")
        try await store.answerDecision(id: id, .taken(final: true))
        #expect(try await store.decisionAnswer(id: id) == .taken(final: true))
        await store.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func aWithdrawnDecisionIsNeverTaken(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let id = try await store.relayDecision(runID: "r1", step: "confirm", verdict: .approve, by: ana, now: 1_000)
        #expect(try await store.withdrawDecision(id: id))
        #expect(try await store.takeDecisions(runIDs: ["r1"]).isEmpty)
        #expect(try await store.withdrawDecision(id: id) == false)
        #expect(try await store.decisionAnswer(id: id) == nil)
        await store.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusalKeepsItsCodeWaitingStepAndMessage(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let id = try await store.relayDecision(runID: "r1", step: "gate", verdict: .approve, by: ana, now: 1_000)
        _ = try await store.takeDecisions(runIDs: ["r1"])
        let refusal = ApprovalRejection(
            code: .notWaiting, step: "gate", waiting: "confirm", message: "run r1 waits for confirm, not gate")
        try await store.answerDecision(id: id, DecisionAnswer(.failure(refusal)))
        let answer = try #require(try await store.decisionAnswer(id: id))
        #expect(
            answer == .refused(code: "notWaiting", waiting: "confirm", message: "run r1 waits for confirm, not gate"))
        #expect(ApprovalRejection.Code("notWaiting") == .notWaiting)
        // Answered decisions an hour old are dropped when the next one is relayed.
        _ = try await store.relayDecision(runID: "r1", step: "gate", verdict: .deny, by: ana, now: 1_000 + 3_600_001)
        #expect(try await store.decisionAnswer(id: id) == nil)
        await store.close()
    }
}
