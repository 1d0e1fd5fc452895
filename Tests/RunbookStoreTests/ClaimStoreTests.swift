import Foundation
import RunbookCore
import RunbookEngine
import Testing
@testable import RunbookStore

@Suite struct ClaimStoreTests {
    @Test(arguments: StoreBackend.allCases) func concurrentWorkersNeverClaimTheSameAlert(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let alerts = (0..<60).map { alert("Load", labels: ["n": "\($0)"]) }
        _ = try await store.ingest(alerts, now: 0, dedupWindow: minute)
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [Int64] = []
                    while let claim = try await store.claimAlert(worker: "w\(worker)", now: 1, lockFor: minute) {
                        mine.append(claim.record.id)
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Int64]()) { $0 += $1 }
        }
        #expect(claimed.count == 60)
        #expect(Set(claimed).count == 60)
    }

    @Test(arguments: StoreBackend.allCases) func anExpiredClaimIsTakenOverWithTheRunItInterrupted(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        _ = try #require(try await store.claimAlert(worker: "dead", now: 0, lockFor: .seconds(30)))
        _ = try await store.startRun(runStart("r1", alertID: id), now: 0)
        try await store.stepStarted(runID: "r1", stepID: "check", now: 1)
        try await store.stepFinished(
            runID: "r1", result: StepResult(id: "check", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero, exitCode: 0),
            now: 2)
        try await store.stepStarted(runID: "r1", stepID: "restart", now: 3)
        // Within the lock nobody else may take it.
        #expect(try await store.claimAlert(worker: "alive", now: 29_000, lockFor: .seconds(30)) == nil)
        let taken = try #require(try await store.claimAlert(worker: "alive", now: 31_000, lockFor: .seconds(30)))
        let interrupted = try #require(taken.interruptedRun)
        #expect(interrupted.run.id == "r1")
        #expect(interrupted.resumption.finished.map(\.id) == ["check"])
        #expect(interrupted.resumption.interruptedStep == "restart")
    }

    @Test(arguments: StoreBackend.allCases) func renewedClaimsHoldAndReleasedOnesAreFreeAtOnce(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        _ = try #require(try await store.claimAlert(worker: "a", now: 0, lockFor: .seconds(30)))
        try await store.renewClaims(worker: "a", alertIDs: [id], now: 25_000, lockFor: .seconds(30))
        #expect(try await store.claimAlert(worker: "b", now: 40_000, lockFor: .seconds(30)) == nil)
        if store.isExclusive {
            // One process owns the store: a claim of another worker id is a dead process's.
            #expect(try await store.releaseClaims(exceptWorker: "b") == 1)
            #expect(try await store.claimAlert(worker: "b", now: 40_001, lockFor: .seconds(30))?.record.id == id)
        } else {
            // Shared by replicas: "a" may be alive, so its claim holds until its lock expires.
            #expect(try await store.releaseClaims(exceptWorker: "b") == 0)
            #expect(try await store.claimAlert(worker: "b", now: 40_001, lockFor: .seconds(30)) == nil)
            #expect(try await store.claimAlert(worker: "b", now: 55_001, lockFor: .seconds(30))?.record.id == id)
        }
    }

    @Test(arguments: StoreBackend.allCases) func cooldownAndConcurrencyKeysAreDecidedByTheStore(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        let ids = try await store.ingest([alert("A", labels: ["n": "1"]), alert("A", labels: ["n": "2"])], now: 0, dedupWindow: minute)
            .compactMap(\.alertID)
        let first = try await store.startRun(runStart("r1", alertID: ids[0], key: "host-a", cooldown: minute), now: 0)
        guard case .started(let run) = first else { Issue.record("expected a start, got \(first)"); return }
        #expect(run.state == .running)
        #expect(try await store.startRun(runStart("r2", alertID: ids[1], key: "host-a"), now: 1) == .busy(key: "host-a", heldBy: "r1"))
        #expect(try await store.startRun(runStart("r3", alertID: ids[0], cooldown: minute), now: 10_000) == .coolingDown(previousRun: "r1"))
        try await store.finishRun(id: "r1", state: .open, outcome: .succeeded, evidence: nil, now: 2)
        guard case .started = try await store.startRun(runStart("r2", alertID: ids[1], key: "host-a"), now: 3) else {
            Issue.record("the key is free once r1's steps are done")
            return
        }
    }

    @Test func migrationsApplyOnceAndTheFileHasOneOwner() async throws {
        let (store, path) = try makeSQLiteStore()
        let applied = try store.appliedMigrations()
        #expect(applied.count == 2)
        #expect(throws: StoreError.self) { try SQLiteStateStore(path: path) }
        _ = consume store
        let reopened = try SQLiteStateStore(path: path)
        #expect(try reopened.appliedMigrations() == applied)
    }
}
