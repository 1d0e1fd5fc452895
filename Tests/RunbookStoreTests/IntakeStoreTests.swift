import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@testable import RunbookStore

@Suite struct IntakeStoreTests {
    @Test(arguments: StoreBackend.allCases) func repeatsWithinTheWindowAreCountedNotQueued(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let first = try await store.ingest([alert("Disk", labels: ["host": "a"])], now: 1_000, dedupWindow: minute)
        let again = try await store.ingest(
            [alert("Disk", labels: ["host": "a"]), alert("Disk", labels: ["host": "a"])], now: 30_000,
            dedupWindow: minute)
        #expect(first.count == 1)
        guard case .queued(let id) = first[0] else {
            Issue.record("expected queued, got \(first)")
            return
        }
        #expect(again == [.deduplicated(alertID: id, occurrences: 2), .deduplicated(alertID: id, occurrences: 3)])
        #expect(try await store.queueDepth() == 1)
        // Handled without a run (say, cooldown): past the window, which runs from the last
        // occurrence (30 s + 60 s), the fingerprint is a new alert.
        let claim = try #require(try await store.claimAlert(worker: "w", now: 31_000, lockFor: minute)).claim
        try await store.settleAlert(claim, AlertSettlement(.acked, note: "cooldown"), now: 31_000)
        let later = try await store.ingest([alert("Disk", labels: ["host": "a"])], now: 95_000, dedupWindow: minute)
        guard case .queued(let newID) = later[0] else {
            Issue.record("expected a new alert, got \(later)")
            return
        }
        #expect(newID != id)
        let other = try await store.ingest([alert("Disk", labels: ["host": "b"])], now: 95_000, dedupWindow: minute)
        guard case .queued = other[0] else {
            Issue.record("a different label set is a different alert: \(other)")
            return
        }
    }

    /// Alertmanager re-sends a firing alert every repeat_interval (4 h), far past the window:
    /// while the alert waits, or its run is open or acknowledged, a re-send is an occurrence of
    /// that run, never a second run.
    @Test(arguments: StoreBackend.allCases) func aReSendAfterTheWindowIsAnOccurrenceWhileTheAlertIsInHand(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let firing = alert("Down", labels: ["host": "a"])
        let hours4: Int64 = 4 * 3_600_000
        let id = try #require(try await store.ingest([firing], now: 0, dedupWindow: minute).first?.alertID)
        #expect(
            try await store.ingest([firing], now: hours4, dedupWindow: minute) == [
                .deduplicated(alertID: id, occurrences: 2)
            ])
        let claim = try #require(try await store.claimAlert(worker: "w", now: hours4, lockFor: minute)).claim
        _ = try await store.startRun(
            runStart("r1", alertID: id, fingerprint: firing.fingerprint, timers: []), claim: claim, now: hours4)
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil,
            settling: AlertSettlement(.acked, note: "run r1: succeeded"),
            claim: claim, now: hours4 + 1_000)
        #expect(
            try await store.ingest([firing], now: 2 * hours4, dedupWindow: minute) == [
                .deduplicated(alertID: id, occurrences: 3)
            ])
        _ = try await store.acknowledge(runID: "r1", by: RunAcknowledgement(by: "ana"), now: 2 * hours4)
        #expect(
            try await store.ingest([firing], now: 3 * hours4, dedupWindow: minute) == [
                .deduplicated(alertID: id, occurrences: 4)
            ])
        #expect(try await store.queueDepth() == 0)
        // Resolved, the incident is over: the next firing is a new alert (cooldown is the run's rule).
        var resolved = firing
        resolved.status = .resolved
        _ = try await store.ingest([resolved], now: 3 * hours4 + 1, dedupWindow: minute)
        guard case .queued(let newID) = try await store.ingest([firing], now: 3 * hours4 + 2, dedupWindow: minute)[0]
        else {
            Issue.record("a firing alert after the resolution is a new alert")
            return
        }
        #expect(newID != id)
    }

    @Test(arguments: StoreBackend.allCases) func silencedAlertsAreStoredButNeverClaimed(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let silence = Silence(
            id: "s1", matchers: [.init(name: "host", value: "db-.*", isRegex: true)], startsAt: 0, endsAt: 100_000,
            createdBy: "me",
            comment: "maintenance", updatedAt: 0)
        try await store.addSilence(silence)
        let outcomes = try await store.ingest(
            [alert("Down", labels: ["host": "db-1"]), alert("Down", labels: ["host": "web-1"])], now: 10_000,
            dedupWindow: minute)
        guard case .silenced(let silencedID, "s1") = outcomes[0], case .queued(let queuedID) = outcomes[1] else {
            Issue.record("unexpected \(outcomes)")
            return
        }
        let claimed = try await store.claimAlert(worker: "w", now: 10_000, lockFor: minute)
        #expect(claimed?.record.id == queuedID)
        #expect(try await store.claimAlert(worker: "w", now: 10_000, lockFor: minute) == nil)
        #expect(try await store.alert(id: silencedID)?.silencedBy == "s1")
        // Expired, the silence no longer holds new alerts back.
        #expect(try await store.expireSilence(id: "s1", now: 20_000))
        #expect(try await store.expireSilence(id: "s1", now: 20_001) == false)
        let after = try await store.ingest([alert("Down", labels: ["host": "db-2"])], now: 21_000, dedupWindow: minute)
        guard case .queued = after[0] else {
            Issue.record("expected queued after expiry, got \(after)")
            return
        }
        #expect(try await store.silences().first?.state(at: 21_000) == .expired)
    }

    @Test(arguments: StoreBackend.allCases) func aResolvedNotificationResolvesTheOpenRunAndCancelsItsTimers(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let firing = alert("Down", labels: ["host": "a"])
        let id = try #require(try await store.ingest([firing], now: 0, dedupWindow: minute).first?.alertID)
        let claim = try #require(try await store.claimAlert(worker: "w", now: 0, lockFor: minute)).claim
        let timers = [RunTimer.Scheduled(due: .seconds(60), timer: .escalation(rung: 0, repetition: 0))]
        _ = try await store.startRun(
            runStart("r1", alertID: id, fingerprint: firing.fingerprint, timers: timers), claim: claim, now: 0)
        try await store.finishRun(
            id: "r1", outcome: .succeeded, evidence: nil, settling: AlertSettlement(.acked, note: "done"),
            claim: claim,
            now: 1_000)
        var resolved = firing
        resolved.status = .resolved
        let outcome = try await store.ingest([resolved], now: 2_000, dedupWindow: minute)
        guard case .resolved(id?, let runs) = outcome[0] else {
            Issue.record("unexpected \(outcome)")
            return
        }
        #expect(runs.map(\.id) == ["r1"])
        let detail = try #require(try await store.run(id: "r1"))
        #expect(detail.run.state == .resolved)
        #expect(detail.timers.map(\.state) == [.cancelled])
        #expect(try await store.claimDueTimers(worker: "w", now: 120_000, lockFor: minute, limit: 10).isEmpty)
    }

    @Test(arguments: StoreBackend.allCases) func anAlertNoRunbookMatchesIsStoredAsHandled(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let outcomes = try await store.ingest(
            [alert("Stray"), alert("Known")], routes: [.unrouted, .runbook], now: 0, dedupWindow: minute)
        guard case .unrouted(let stray) = outcomes[0], case .queued(let known) = outcomes[1] else {
            Issue.record("unexpected \(outcomes)")
            return
        }
        #expect(try await store.alert(id: stray)?.state == .acked)
        #expect(try await store.alert(id: stray)?.note == "no runbook matches this alert")
        #expect(try await store.claimAlert(worker: "w", now: 1, lockFor: minute)?.record.id == known)
        #expect(try await store.claimAlert(worker: "w", now: 1, lockFor: minute) == nil)
    }

    @Test(arguments: StoreBackend.allCases) func anAlertResolvedBeforeAWorkerTookItStartsNoRun(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let firing = alert("Flap")
        _ = try await store.ingest([firing], now: 0, dedupWindow: minute)
        var resolved = firing
        resolved.status = .resolved
        _ = try await store.ingest([resolved], now: 10, dedupWindow: minute)
        #expect(try await store.claimAlert(worker: "w", now: 20, lockFor: minute) == nil)
        #expect(try await store.alerts(limit: 10).first?.note == "resolved before a run started")
    }
}

@Suite struct AlertJSONWriterTests {
    @Test func whatIsWrittenReadsBackAsTheSameAlert() throws {
        let tricky = Alert(
            fingerprint: "0123456789abcdef", name: "Quote\"Back\\slash", source: "src", severity: nil,
            rawSeverity: "crit\u{1}ical",
            status: .resolved,
            labels: ["alertname": "Quote\"Back\\slash", "line": "a\nb\tc\r", "ünï": "😀", "empty": ""],
            annotations: ["summary": "</script>"], startsAt: "2026-11-24T10:00:00Z", endsAt: nil,
            generatorURL: "http://x/?a=1&b=2")
        let text = AlertJSONWriter.json(tricky)
        let decoded = try JSONDecoder().decode(Alert.self, from: Data(text.utf8))
        #expect(decoded == tricky)
        let drill = AlertDrill(speed: 60, requestedBy: "a\"na", runDiagnostics: true).mark(tricky)
        let drilled = try JSONDecoder().decode(Alert.self, from: Data(AlertJSONWriter.json(drill).utf8))
        #expect(drilled == drill)
        #expect(drilled.fingerprint == "drill:0123456789abcdef")
    }
}

/// Alertmanager resolves an alert at its `endsAt` when no newer notification moved it; so does
/// the store, with the alert's runs, each at the alert's `endsAt`.
@Suite struct AlertExpiryStoreTests {
    private func firing(_ name: String, endsAt: Int64?) -> Alert {
        var firing = alert(name, labels: ["host": "a"])
        firing.endsAt = endsAt.map { RFC3339.format(epochMilliseconds: $0) }
        return firing
    }

    @Test(arguments: StoreBackend.allCases) func aFiringAlertExpiresAtItsEndsAtUnlessAReSendMovesIt(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let id = try #require(
            try await store.ingest([firing("Down", endsAt: 10_000)], now: 0, dedupWindow: minute).first?.alertID)
        _ = try await store.ingest([firing("Quiet", endsAt: nil)], now: 0, dedupWindow: minute)
        let claim = try #require(try await claimEverything(store)[id])
        _ = try await store.startRun(
            runStart("r1", alertID: id, fingerprint: firing("Down", endsAt: nil).fingerprint), claim: claim, now: 1)
        #expect(try await store.expireAlerts(now: 9_000, limit: 10).isEmpty)
        // Prometheus re-sends while the rule fires, each time with a later endsAt.
        #expect(
            try await store.ingest([firing("Down", endsAt: 20_000)], now: 9_500, dedupWindow: minute)
                == [.deduplicated(alertID: id, occurrences: 2)])
        #expect(try await store.expireAlerts(now: 15_000, limit: 10).isEmpty)
        let expired = try await store.expireAlerts(now: 21_000, limit: 10)
        guard case .resolved(id?, let runs) = expired.first, expired.count == 1 else {
            Issue.record("unexpected \(expired)")
            return
        }
        #expect(runs.map(\.id) == ["r1"])
        #expect(try await store.run(id: "r1")?.run.resolvedAt == 20_000)
        #expect(try await store.alert(id: id)?.alert.status == .resolved)
        // Expired once; an alert without endsAt never expires.
        #expect(try await store.expireAlerts(now: 10_000_000, limit: 10).isEmpty)
    }
}
