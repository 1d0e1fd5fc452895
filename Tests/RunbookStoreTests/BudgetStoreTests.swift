import Foundation
import RunbookCore
import RunbookLifecycle
import Testing

@testable import RunbookStore

@Suite struct BudgetStoreTests {
    static let hour: Int64 = 3_600_000

    private func request(_ runID: String, step: String = "restart", max: Int = 3) -> BudgetRequest {
        BudgetRequest(
            budget: "high-cpu/\(step)/payments", runbook: "high-cpu", step: step, key: "payments", max: max,
            per: .seconds(3600), runID: runID)
    }

    @Test(arguments: StoreBackend.allCases) func usesAreCountedInTheWindowAcrossRuns(
        _ backend: StoreBackend
    )
        async throws
    {
        let store = try await makeStore(backend)
        for (index, time) in [Int64(0), 600_000, 1_200_000].enumerated() {
            let decision = try await store.useBudget(request("r\(index)"), claim: nil, now: time)
            #expect(decision == BudgetDecision(.granted(used: index + 1)))
        }
        #expect(
            try await store.useBudget(request("r3"), claim: nil, now: 1_800_000)
                == BudgetDecision(.exhausted(used: 3, nextFreeAt: Self.hour)))
        // Another step's budget, or another key, counts on its own.
        #expect(try await store.useBudget(request("r3", step: "failover"), claim: nil, now: 1_800_000).granted)
        // The oldest use leaves the window at 1h.
        #expect(
            try await store.useBudget(request("r4"), claim: nil, now: Self.hour)
                == BudgetDecision(.granted(used: 3)))
        let uses = try await store.budgetUses(since: 0)
        #expect(uses.map(\.runID) == ["r1", "r2", "r3", "r4"])
        #expect(uses.first?.budget == "high-cpu/restart/payments")
    }

    @Test(arguments: StoreBackend.allCases) func askingAgainForTheSameRunAndStepReturnsItsGrant(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        #expect(try await store.useBudget(request("r1", max: 1), claim: nil, now: 0).granted)
        // A resumed run asks again: it keeps its use, and no second one is taken.
        #expect(
            try await store.useBudget(request("r1", max: 1), claim: nil, now: 5_000)
                == BudgetDecision(.granted(used: 1), alreadyGranted: true))
        #expect(try await store.useBudget(request("r2", max: 1), claim: nil, now: 6_000).granted == false)
        #expect(try await store.budgetUses(since: -1).count == 1)
    }

    @Test(arguments: StoreBackend.allCases) func usesOlderThanThirtyDaysAreDropped(
        _ backend: StoreBackend
    )
        async throws
    {
        let store = try await makeStore(backend)
        _ = try await store.useBudget(request("old"), claim: nil, now: 0)
        let later = Budget.longestWindow.totalMilliseconds + 1
        _ = try await store.useBudget(request("new"), claim: nil, now: later)
        #expect(try await store.budgetUses(since: -1).map(\.runID) == ["new"])
    }

    @Test(arguments: StoreBackend.allCases) func aWorkerThatLostItsClaimSpendsNoBudget(
        _ backend: StoreBackend
    )
        async throws
    {
        let store = try await makeStore(backend)
        _ = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let zombie = try #require(try await store.claimAlert(worker: "zombie", now: 0, lockFor: .seconds(30))).claim
        let owner = try #require(try await store.claimAlert(worker: "owner", now: 31_000, lockFor: .seconds(30))).claim
        await #expect(throws: ClaimLost.self) {
            _ = try await store.useBudget(request("r1"), claim: zombie, now: 31_001)
        }
        #expect(try await store.useBudget(request("r1"), claim: owner, now: 31_002).granted)
        #expect(try await store.budgetUses(since: -1).count == 1)
    }

    @Test(arguments: StoreBackend.allCases) func twentyConcurrentUsesOfABudgetOfThreeGrantExactlyThree(
        _ backend: StoreBackend
    ) async throws {
        let stores = try await racingStores(backend)
        // Connections opened first, so the uses below race each other rather than the pool.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in stores {
                for _ in 0..<4 { group.addTask { _ = try await store.budgetUses(since: 0) } }
            }
            try await group.waitForAll()
        }
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                let store = stores[index % stores.count]
                let asked = request("r\(index)")
                group.addTask { try await store.useBudget(asked, claim: nil, now: 1_000 + Int64(index)).granted }
            }
            var count = 0
            for try await ok in group where ok { count += 1 }
            return count
        }
        #expect(granted == 3)
        #expect(try await stores[0].budgetUses(since: 0).count == 3)
        for store in stores { await store.close() }
    }
}
