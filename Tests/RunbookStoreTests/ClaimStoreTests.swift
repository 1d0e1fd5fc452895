import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@testable import RunbookStore

@Suite struct ClaimStoreTests {
    @Test(arguments: StoreBackend.allCases) func concurrentWorkersNeverClaimTheSameAlert(
        _ backend: StoreBackend
    ) async throws {
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

    @Test(arguments: StoreBackend.allCases) func anExpiredClaimIsTakenOverWithTheRunItInterrupted(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let dead = try #require(try await store.claimAlert(worker: "dead", now: 0, lockFor: .seconds(30))).claim
        _ = try await store.startRun(runStart("r1", alertID: id), claim: dead, now: 0)
        try await store.stepStarted(runID: "r1", stepID: "check", claim: dead, now: 1)
        let check = StepResult(
            id: "check", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero, exitCode: 0)
        try await store.stepFinished(runID: "r1", result: check, claim: dead, now: 2)
        try await store.stepStarted(runID: "r1", stepID: "restart", claim: dead, now: 3)
        // Within the lock nobody else may take it.
        #expect(try await store.claimAlert(worker: "alive", now: 29_000, lockFor: .seconds(30)) == nil)
        let taken = try #require(try await store.claimAlert(worker: "alive", now: 31_000, lockFor: .seconds(30)))
        let interrupted = try #require(taken.interruptedRun)
        #expect(interrupted.run.id == "r1")
        #expect(interrupted.resumption.finished.map(\.id) == ["check"])
        #expect(interrupted.resumption.interruptedStep == "restart")
        #expect(taken.claim.token > dead.token)
    }

    /// A worker that paused past its lease (SIGSTOP, a stalled VM) wakes up to find its alert
    /// taken over: every write it tries is refused, and its renewal reports the claim lost.
    @Test(arguments: StoreBackend.allCases) func aTakenOverClaimFencesOffEveryWriteOfItsOldHolder(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let zombie = try #require(try await store.claimAlert(worker: "zombie", now: 0, lockFor: .seconds(30))).claim
        _ = try await store.startRun(runStart("r1", alertID: id), claim: zombie, now: 0)
        try await store.stepStarted(runID: "r1", stepID: "check", claim: zombie, now: 1)
        let owner = try #require(try await store.claimAlert(worker: "owner", now: 31_000, lockFor: .seconds(30)))
        #expect(owner.interruptedRun?.resumption.interruptedStep == "check")
        let result = StepResult(
            id: "check", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero, exitCode: 0)
        await #expect(throws: ClaimLost.self) {
            try await store.stepFinished(runID: "r1", result: result, claim: zombie, now: 31_001)
        }
        await #expect(throws: ClaimLost.self) {
            try await store.stepStarted(runID: "r1", stepID: "fix", claim: zombie, now: 31_002)
        }
        await #expect(throws: ClaimLost.self) {
            try await store.appendTimeline(
                runID: "r1", events: [TimelineEvent(at: .zero, kind: .note, summary: "x")], claim: zombie)
        }
        await #expect(throws: ClaimLost.self) {
            try await store.finishRun(
                id: "r1", outcome: .succeeded, evidence: nil,
                settling: AlertSettlement(.acked, note: "done"),
                claim: zombie, now: 31_003)
        }
        await #expect(throws: ClaimLost.self) {
            try await store.settleAlert(zombie, AlertSettlement(.acked, note: "done"), now: 31_004)
        }
        await #expect(throws: ClaimLost.self) {
            try await store.approvalWaiting(runID: "r1", step: "confirm", claim: zombie)
        }
        #expect(try await store.renewClaims([zombie], now: 31_005, lockFor: .seconds(30)) == [zombie])
        #expect(try await store.renewClaims([owner.claim], now: 31_005, lockFor: .seconds(30)).isEmpty)
        // Nothing the zombie tried reached the record; the owner's writes do.
        let detail = try #require(try await store.run(id: "r1"))
        #expect(detail.steps.isEmpty)
        #expect(detail.timeline.isEmpty)
        #expect(detail.run.state == .running)
        try await store.stepFinished(runID: "r1", result: result, claim: owner.claim, now: 31_006)
        try await store.approvalWaiting(runID: "r1", step: "confirm", claim: owner.claim)
        #expect(try await store.run(id: "r1")?.run.waitingFor == "confirm")
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil, settling: AlertSettlement(.acked, note: "done"),
            claim: owner.claim, now: 31_007)
        #expect(try await store.run(id: "r1")?.run.state == .open)
        #expect(try await store.run(id: "r1")?.run.waitingFor == nil, "a finished run waits for nothing")
        #expect(try await store.alert(id: id)?.state == .acked)
    }

    /// Finishing a run settles its alert in the same transaction: there is no moment at which a
    /// crash leaves a finished run with its alert still claimed (and so started again).
    @Test(arguments: StoreBackend.allCases) func finishingARunSettlesItsAlertAtOnce(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await store.claimAlert(worker: "w", now: 0, lockFor: .seconds(30))).claim
        _ = try await store.startRun(runStart("r1", alertID: id), claim: claim, now: 0)
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil,
            settling: AlertSettlement(.acked, note: "run r1: succeeded"),
            claim: claim, now: 1)
        let record = try #require(try await store.alert(id: id))
        #expect(record.state == .acked)
        #expect(record.note == "run r1: succeeded")
        // Past every lock, nothing is left to claim.
        #expect(try await store.releaseClaims(exceptWorker: "next") == 0)
        #expect(try await store.claimAlert(worker: "next", now: 3_600_000, lockFor: .seconds(30)) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func renewedClaimsHoldAndReleasedOnesAreFreeAtOnce(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await store.claimAlert(worker: "a", now: 0, lockFor: .seconds(30))).claim
        #expect(try await store.renewClaims([claim], now: 25_000, lockFor: .seconds(30)).isEmpty)
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

    /// Seen in a loaded CI run: the alert resolved between a worker's claim and its run's start;
    /// the run started anyway, with the firing alert, and escalated for an alert long resolved.
    @Test(arguments: StoreBackend.allCases) func anAlertResolvedAfterItsClaimStartsNoRun(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("A")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await store.claimAlert(worker: "w", now: 1, lockFor: .seconds(30))?.claim)
        _ = try await store.ingest([alert("A", status: .resolved)], now: 2, dedupWindow: minute)
        #expect(try await store.startRun(runStart("r1", alertID: id), claim: claim, now: 3) == .alertResolved)
        #expect(try await store.runs(limit: 10, states: nil).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases) func aStoppedRunEndsItsTimersAndTheAlertResolvesItLater(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("S")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await store.claimAlert(worker: "w", now: 1, lockFor: .seconds(30))?.claim)
        let rung = RunTimer.Scheduled(due: .seconds(300), timer: .escalation(rung: 0, repetition: 0))
        guard
            case .started = try await store.startRun(runStart("r1", alertID: id, timers: [rung]), claim: claim, now: 2)
        else {
            Issue.record("the run should start")
            return
        }
        try await store.finishRun(
            id: "r1", outcome: .stopped, evidence: nil, settling: AlertSettlement(.acked, note: "stopped"),
            claim: claim, now: 3)
        #expect(try await store.runs(limit: 1, states: [.stopped]).map(\.id) == ["r1"])
        #expect(try await store.pendingTimers(runIDs: ["r1"]).isEmpty, "a stopped run pages nobody")
        _ = try await store.ingest([alert("S", status: .resolved)], now: 4, dedupWindow: minute)
        let run = try #require(try await store.runs(limit: 1, states: nil).first)
        #expect(run.state == .resolved && run.resolution == .alert)
    }

    /// `cooldown_key: "{{alert.labels.service}}"`: a restart of the service by one instance's
    /// alert cools the runbook down for the other instances' alerts too.
    @Test(arguments: StoreBackend.allCases) func aCooldownKeyCoolsDownOtherFingerprints(
        _ backend: StoreBackend
    )
        async throws
    {
        let store = try await makeStore(backend)
        let ids = try await store.ingest(
            [alert("A", labels: ["n": "1"]), alert("A", labels: ["n": "2"]), alert("A", labels: ["n": "3"])], now: 0,
            dedupWindow: minute
        ).compactMap(\.alertID)
        let claims = try await claimEverything(store)
        func start(_ id: String, _ index: Int, key: String?, at now: Int64) async throws -> RunStartOutcome {
            let claim = try #require(claims[ids[index]])
            let start = RunStart(
                id: id, alertID: ids[index], runbook: "rb", fingerprint: "f\(index)", concurrencyKey: nil,
                cooldown: minute, cooldownKey: key, timers: [])
            return try await store.startRun(start, claim: claim, now: now)
        }
        guard case .started = try await start("r1", 0, key: "key:api", at: 0) else {
            Issue.record("the first run starts")
            return
        }
        #expect(try await start("r2", 1, key: "key:api", at: 1_000) == .coolingDown(previousRun: "r1"))
        // Without a key the fingerprint counts, as before: another fingerprint starts.
        guard case .started = try await start("r3", 2, key: nil, at: 2_000) else {
            Issue.record("a run keyed by its own fingerprint starts")
            return
        }
    }

    /// A runbook's `dedup_window` decides for its alerts; others keep the default.
    @Test(arguments: StoreBackend.allCases) func aRoutesDedupWindowDecidesItsRepeats(
        _ backend: StoreBackend
    )
        async throws
    {
        let store = try await makeStore(backend)
        let hour = AlertRoute(hasRunbook: true, dedupWindow: .seconds(3600))
        let first = try await store.ingest(
            [alert("Long"), alert("Short")], routes: [hour, .runbook], now: 0, dedupWindow: minute)
        #expect(first.allSatisfy { if case .queued = $0 { true } else { false } })
        // Ten minutes later, both fire again; their first runs never started (nothing claimed).
        let again = try await store.ingest(
            [alert("Long"), alert("Short")], routes: [hour, .runbook], now: 600_000, dedupWindow: minute)
        guard case .deduplicated = again[0] else {
            Issue.record("within its runbook's hour: a repeat, got \(again[0])")
            return
        }
        // The default minute has passed, but the first alert is still queued (in hand): a repeat too.
        guard case .deduplicated = again[1] else {
            Issue.record("an alert still waiting for a worker is in hand: \(again[1])")
            return
        }
    }

    @Test(arguments: StoreBackend.allCases) func cooldownAndConcurrencyKeysAreDecidedByTheStore(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let ids = try await store.ingest(
            [alert("A", labels: ["n": "1"]), alert("A", labels: ["n": "2"])], now: 0, dedupWindow: minute
        )
        .compactMap(\.alertID)
        let claims = try await claimEverything(store)
        let (a, b) = (try #require(claims[ids[0]]), try #require(claims[ids[1]]))
        let first = try await store.startRun(
            runStart("r1", alertID: ids[0], key: "host-a", cooldown: minute), claim: a, now: 0)
        guard case .started(let run) = first else {
            Issue.record("expected a start, got \(first)")
            return
        }
        #expect(run.state == .running)
        #expect(
            try await store.startRun(runStart("r2", alertID: ids[1], key: "host-a"), claim: b, now: 1)
                == .busy(key: "host-a", heldBy: "r1"))
        #expect(
            try await store.startRun(runStart("r3", alertID: ids[0], cooldown: minute), claim: a, now: 10_000)
                == .coolingDown(previousRun: "r1"))
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil, settling: AlertSettlement(.acked, note: "done"),
            claim: a, now: 2)
        guard case .started = try await store.startRun(runStart("r2", alertID: ids[1], key: "host-a"), claim: b, now: 3)
        else {
            Issue.record("the key is free once r1's steps are done")
            return
        }
    }

    @Test func migrationsApplyOnceAndTheFileHasOneOwner() async throws {
        let (store, path) = try makeSQLiteStore()
        let applied = try store.appliedMigrations()
        #expect(applied.count == 13)
        #expect(applied.last?.hasPrefix("v13: each serving process") == true)
        #expect(throws: StoreError.self) { try SQLiteStateStore(path: path) }
        _ = consume store
        // The lock goes with the store's last reference, which a pool's in-flight work may hold
        // a moment longer on a loaded machine.
        var reopened: SQLiteStateStore?
        for _ in 0..<100 where reopened == nil {
            reopened = try? SQLiteStateStore(path: path)
            if reopened == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(try #require(reopened).appliedMigrations() == applied)
    }
}
