import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@testable import RunbookStore

@Suite struct TimerStoreTests {
    @discardableResult
    private func startedRun(_ store: any StateStore, timers: [RunTimer.Scheduled]) async throws -> Claim {
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await claimEverything(store)[id])
        _ = try await store.startRun(runStart("r1", alertID: id, timers: timers), claim: claim, now: 1_000)
        return claim
    }

    private let ladder = [
        RunTimer.Scheduled(due: .seconds(60), timer: .escalation(rung: 0, repetition: 0)),
        RunTimer.Scheduled(due: .seconds(120), timer: .escalation(rung: 1, repetition: 0)),
        RunTimer.Scheduled(due: .seconds(90), timer: .statusUpdate(number: 1)),
    ]

    @Test(arguments: StoreBackend.allCases) func dueTimersAreClaimedOnceInOrderAndFollowUpsScheduled(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        try await startedRun(store, timers: ladder)
        #expect(try await store.nextTimerDue() == 61_000)
        #expect(try await store.claimDueTimers(worker: "w", now: 60_999, lockFor: minute, limit: 10).isEmpty)
        let due = try await store.claimDueTimers(worker: "w", now: 100_000, lockFor: minute, limit: 10)
        #expect(due.map(\.key) == ["r1/rung-1/0", "r1/on_update/1"])
        #expect(try await store.claimDueTimers(worker: "other", now: 100_000, lockFor: minute, limit: 10).isEmpty)
        let next = RunTimer.Scheduled(due: .seconds(180), timer: .statusUpdate(number: 2))
        #expect(try await store.timerFired(id: due[1].id, worker: "w", next: next, now: 100_001))
        #expect(try await store.timerFired(id: due[1].id, worker: "w", next: next, now: 100_002) == false)
        let detail = try #require(try await store.run(id: "r1"))
        #expect(detail.timers.map(\.key).contains("r1/on_update/2"))
        #expect(detail.timers.first { $0.key == "r1/on_update/2" }?.dueAt == 181_000)
    }

    @Test(arguments: StoreBackend.allCases) func aClaimedTimerWhoseWorkerDiedIsFiredByAnother(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        try await startedRun(store, timers: [ladder[0]])
        let taken = try await store.claimDueTimers(worker: "dead", now: 61_000, lockFor: .seconds(30), limit: 10)
        #expect(taken.count == 1)
        #expect(try await store.claimDueTimers(worker: "alive", now: 90_000, lockFor: .seconds(30), limit: 10).isEmpty)
        let again = try await store.claimDueTimers(worker: "alive", now: 91_001, lockFor: .seconds(30), limit: 10)
        #expect(again.map(\.key) == ["r1/rung-1/0"])
        #expect(taken.map(\.attempts) == [1])
        #expect(again.map(\.attempts) == [2])
        // The dead worker's late confirmation no longer counts.
        #expect(try await store.timerFired(id: taken[0].id, worker: "dead", next: nil, now: 91_002) == false)
        #expect(try await store.timerFired(id: again[0].id, worker: "alive", next: nil, now: 91_003))
    }

    @Test(arguments: StoreBackend.allCases) func acknowledgingStopsEscalationButNotStatusUpdates(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let claim = try await startedRun(store, timers: ladder)
        let ana = RunAcknowledgement(by: "ana", note: "on it")
        let before = try #require(try await store.acknowledge(runID: "r1", by: ana, now: 5_000))
        #expect(before.ackedBy == nil)
        #expect(try await store.run(id: "r1")?.run.acknowledgement == ana, "the first acknowledger and their note")
        let due = try await store.claimDueTimers(worker: "w", now: 500_000, lockFor: minute, limit: 10)
        #expect(due.map(\.key) == ["r1/on_update/1"])
        #expect(
            try await store.acknowledge(runID: "r1", by: RunAcknowledgement(by: "bo"), now: 6_000)?.ackedBy == "ana")
        #expect(try await store.acknowledge(runID: "nope", by: RunAcknowledgement(by: "bo"), now: 6_000) == nil)
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil, settling: AlertSettlement(.acked, note: "done"),
            claim: claim,
            now: 7_000)
        #expect(try await store.run(id: "r1")?.run.state == .acked)
    }

    @Test(arguments: StoreBackend.allCases) func resolvingCancelsEveryTimer(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        try await startedRun(store, timers: ladder)
        _ = try await store.resolve(runID: "r1", by: .person("ana", note: "fixed"), now: 2_000)
        #expect(try await store.claimDueTimers(worker: "w", now: 500_000, lockFor: minute, limit: 10).isEmpty)
        #expect(try await store.nextTimerDue() == nil)
        // The first resolution is the one kept; a later resolved notification changes nothing.
        _ = try await store.ingest([alert("Down", status: .resolved)], now: 3_000, dedupWindow: minute)
        let run = try #require(try await store.run(id: "r1")?.run)
        #expect(run.resolution == .person("ana", note: "fixed"))
        #expect(try await store.acknowledgedOrResolved(runIDs: ["r1", "r9"]).map(\.id) == ["r1"])
    }

    @Test(arguments: StoreBackend.allCases) func aResolvedNotificationResolvesAsTheAlert(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let claim = try await startedRun(store, timers: ladder)
        #expect(try await store.acknowledgedOrResolved(runIDs: ["r1"]).isEmpty)
        _ = try await store.ingest([alert("Down", status: .resolved)], now: 3_000, dedupWindow: minute)
        #expect(try await store.run(id: "r1")?.run.resolution == .alert)
        let finished = try await store.finishRun(
            id: "r1", outcome: .resolved, resolution: .condition("steps.check.ok"), evidence: nil,
            settling: AlertSettlement(.acked, note: "done"), claim: claim, now: 7_000)
        #expect(finished?.resolution == .alert, "what resolved the run first stays")
        #expect(finished?.state == .resolved)
    }
}

/// A reload's new ladder applied to a run's timers (``StateStore/replanEscalation``).
@Suite struct EscalationReplanStoreTests {
    @Test(arguments: StoreBackend.allCases) func onlyPendingTimersMoveOrEndAndExistingRungsAreNotAddedTwice(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(try await store.ingest([alert("Down")], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await claimEverything(store)[id])
        let ladder = [
            RunTimer.Scheduled(due: .seconds(60), timer: .escalation(rung: 0, repetition: 0)),
            RunTimer.Scheduled(due: .seconds(120), timer: .escalation(rung: 1, repetition: 0)),
            RunTimer.Scheduled(due: .seconds(180), timer: .escalation(rung: 2, repetition: 0)),
        ]
        _ = try await store.startRun(runStart("r1", alertID: id, timers: ladder), claim: claim, now: 1_000)
        let fired = try #require(
            try await store.claimDueTimers(worker: "w", now: 61_000, lockFor: minute, limit: 10).first)
        #expect(try await store.timerFired(id: fired.id, worker: "w", next: nil, now: 61_000))
        let before = try #require(try await store.run(id: "r1")).timers
        let second = try #require(before.first { $0.key == "r1/rung-2/0" })
        let third = try #require(before.first { $0.key == "r1/rung-3/0" })

        try await store.replanEscalation(
            runID: "r1", alertID: id, startedAt: 1_000,
            changes: [
                .move(id: fired.id, dueAt: 5_000),  // fired: stays as it was
                .move(id: second.id, dueAt: 31_000),
                .cancel(id: third.id),
                .add(RunTimer.Scheduled(due: .seconds(10), timer: .escalation(rung: 0, repetition: 0))),  // exists
                .add(RunTimer.Scheduled(due: .seconds(240), timer: .escalation(rung: 3, repetition: 0))),
            ])
        let after = Dictionary(
            uniqueKeysWithValues: try #require(try await store.run(id: "r1")).timers.map { ($0.key, $0) })
        #expect(after.count == 4)
        #expect(after["r1/rung-1/0"]?.state == .fired && after["r1/rung-1/0"]?.dueAt == 61_000)
        #expect(after["r1/rung-2/0"]?.state == .pending && after["r1/rung-2/0"]?.dueAt == 31_000)
        #expect(after["r1/rung-3/0"]?.state == .cancelled)
        #expect(after["r1/rung-4/0"]?.state == .pending && after["r1/rung-4/0"]?.dueAt == 241_000)
        #expect(try await store.nextTimerDue() == 31_000)
    }
}
