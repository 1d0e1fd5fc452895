import Foundation
import RunbookCore
import RunbookLifecycle
import Testing

@testable import RunbookStore

@Suite struct ScheduleStoreTests {
    private func tick(_ at: Int64, schedule: String = "every 1m") -> ScheduleTick {
        ScheduleTick(runbook: "detector", at: at, schedule: schedule)
    }

    @Test(arguments: StoreBackend.allCases) func aTickIsQueuedOnceAndMissedTicksCoalesce(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        // First sight: counted from here, not run for a tick from before the schedule existed.
        #expect(try await store.claimTick(tick(0), now: 10) == .baseline)
        #expect(try await store.claimTick(tick(0), now: 20) == .claimedAlready)
        guard case .queued(let first) = try await store.claimTick(tick(60_000), now: 60_001) else {
            Issue.record("the first tick after the baseline was not queued")
            return
        }
        #expect(try await store.claimTick(tick(60_000), now: 60_002) == .claimedAlready)
        let claimed = try #require(try await store.claimAlert(worker: "w", now: 60_003, lockFor: .seconds(30)))
        #expect(claimed.record.id == first)
        #expect(claimed.record.alert.tick == tick(60_000))
        #expect(claimed.record.alert.fingerprint == "schedule:detector")
        // The previous tick's alert is still being worked: the next tick is skipped, not doubled.
        #expect(try await store.claimTick(tick(120_000), now: 120_001) == .skipped(previousAlertID: first))
        var done = AlertSettlement(.acked, note: "run r: completed")
        done.closesAlert = true
        try await store.settleAlert(claimed.claim, done, now: 120_500)
        let record = try #require(try await store.alert(id: first))
        #expect(record.state == .acked)
        // Down for five ticks: one claim of the latest.
        guard case .queued(let next) = try await store.claimTick(tick(420_000), now: 430_000) else {
            Issue.record("the latest tick after missed ones was not queued")
            return
        }
        #expect(next != first)
        #expect(try await store.claimTick(tick(360_000), now: 430_001) == .claimedAlready)
        #expect(try await store.queueDepth() == 1)
        // A changed schedule starts counting afresh.
        #expect(try await store.claimTick(tick(480_000, schedule: "every 2m"), now: 480_001) == .baseline)
    }

    @Test(arguments: StoreBackend.allCases) func replicasRacingForOneTickQueueItOnce(
        _ backend: StoreBackend
    ) async throws {
        let stores = try await racingStores(backend)
        #expect(try await stores[0].claimTick(tick(0), now: 1) == .baseline)
        for at in [Int64(60_000), 120_000, 180_000] {
            let outcomes = try await withThrowingTaskGroup(of: TickClaim.self) { group in
                for index in 0..<10 {
                    let store = stores[index % stores.count]
                    group.addTask { try await store.claimTick(tick(at), now: at + 1) }
                }
                var all: [TickClaim] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let queued = outcomes.filter { if case .queued = $0 { true } else { false } }
            #expect(queued.count == 1, "tick \(at): \(outcomes)")
            // Worked and closed before the next tick, so that one is queued too.
            let claimed = try #require(try await stores[0].claimAlert(worker: "w", now: at + 2, lockFor: .seconds(30)))
            var done = AlertSettlement(.acked, note: "done")
            done.closesAlert = true
            try await stores[0].settleAlert(claimed.claim, done, now: at + 3)
        }
        for store in stores { await store.close() }
    }
}
