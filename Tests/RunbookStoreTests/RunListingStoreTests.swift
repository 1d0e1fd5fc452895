import RunbookCore
import RunbookLifecycle
import Testing

@testable import RunbookStore

/// The listings the status page and the console read: which runs are current incidents, and
/// pages of runs with their alert, current step and timers, on both stores.
@Suite struct RunListingStoreTests {
    /// A failed attempt retried as a new run is one incident (the new run); a run whose retries
    /// are used up stays current until someone resolves it; a resolved one moves to "resolved".
    @Test(arguments: StoreBackend.allCases) func currentIncidentsAreEachAlertsNewestRunUntilResolved(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        let outcomes = try await store.ingest(
            [alert("Retried"), alert("GaveUp"), alert("Fixed")], now: 0, dedupWindow: minute)
        let ids = outcomes.compactMap(\.alertID)
        try #require(ids.count == 3)
        var claims = try await claimEverything(store)
        // Retried: the first attempt fails with a retry; the second is running.
        _ = try await store.startRun(runStart("a1", alertID: ids[0], fingerprint: "fa"), claim: claims[ids[0]]!, now: 1)
        try await store.finishRun(
            id: "a1", outcome: .failed, evidence: nil, settling: AlertSettlement(.new, retryAt: 5, note: "retry"),
            claim: claims[ids[0]]!, now: 2)
        // GaveUp: failed with no retry left.
        _ = try await store.startRun(runStart("g1", alertID: ids[1], fingerprint: "fg"), claim: claims[ids[1]]!, now: 3)
        try await store.finishRun(
            id: "g1", outcome: .failed, evidence: nil, settling: AlertSettlement(.failed, note: "gave up"),
            claim: claims[ids[1]]!, now: 4)
        // Fixed: succeeded, then resolved by a person.
        _ = try await store.startRun(runStart("f1", alertID: ids[2], fingerprint: "ff"), claim: claims[ids[2]]!, now: 5)
        try await store.finishRun(
            id: "f1", outcome: .succeeded, evidence: nil, settling: AlertSettlement(.acked, note: "ok"),
            claim: claims[ids[2]]!, now: 6)
        _ = try await store.resolve(runID: "f1", by: .person("ana", note: nil), now: 7)
        claims = try await claimEverything(store, now: 10)
        _ = try await store.startRun(
            runStart("a2", alertID: ids[0], fingerprint: "fa"), claim: try #require(claims[ids[0]]), now: 11)
        try await store.stepStarted(runID: "a2", stepID: "probe", claim: claims[ids[0]]!, now: 12)

        let current = try await store.runListings(.currentIncidents(limit: 10))
        #expect(current.map(\.run.id) == ["a2", "g1"], "the retried alert once (its newest run) and the failed one")
        #expect(current.first?.currentStep == "probe")
        #expect(current.first?.alert?.alert.name == "Retried")
        let resolved = try await store.runListings(.resolvedIncidents(since: 0, limit: 10))
        #expect(resolved.map(\.run.id) == ["f1"])
        #expect(try await store.runListings(.resolvedIncidents(since: 8, limit: 10)).isEmpty)

        _ = try await store.resolve(runID: "g1", by: .person("ana", note: nil), now: 20)
        #expect(try await store.runListings(.currentIncidents(limit: 10)).map(\.run.id) == ["a2"])
    }

    /// Pages follow each other without gaps or repeats, even with runs started at one instant,
    /// and filters by state, runbook and severity narrow them.
    @Test(arguments: StoreBackend.allCases) func pagesAndFilters(_ backend: StoreBackend) async throws {
        let store = try await makeStore(backend)
        var names: [String] = []
        for index in 0..<7 { names.append("A\(index)") }
        var alerts = names.map { alert($0) }
        alerts[6].severity = "P1"
        let ids = try await store.ingest(alerts, now: 0, dedupWindow: minute).compactMap(\.alertID)
        let claims = try await claimEverything(store)
        for (index, id) in ids.enumerated() {
            // Two runs per instant, so the cursor's tie-break on the id matters.
            let start = runStart(
                "r\(index)", alertID: id, runbook: index < 4 ? "disk" : "cpu", fingerprint: "f\(index)",
                timers: [.init(due: .seconds(60), timer: .escalation(rung: 0, repetition: 0))])
            _ = try await store.startRun(start, claim: try #require(claims[id]), now: Int64(100 + index / 2))
        }
        var seen: [String] = []
        var query = RunQuery(limit: 3)
        while true {
            let page = try await store.runs(query)
            seen += page.map(\.id)
            guard page.count == 3, let last = page.last else { break }
            query.after = RunCursor(last)
        }
        #expect(seen == ["r6", "r5", "r4", "r3", "r2", "r1", "r0"])
        #expect(try await store.runs(RunQuery(runbook: "cpu")).map(\.id) == ["r6", "r5", "r4"])
        #expect(try await store.runs(RunQuery(severity: "P1")).map(\.id) == ["r6"])
        #expect(try await store.runs(RunQuery(states: [.open])).isEmpty)
        let listing = try #require(try await store.runListings(RunQuery(limit: 1)).first)
        #expect(listing.nextEscalation.map(\.dueAt) == Int64(60_103))
        #expect(RunCursor("103.r6") == RunCursor(startedAt: 103, runID: "r6"))
        #expect(RunCursor("x.r6") == nil)
    }
}
