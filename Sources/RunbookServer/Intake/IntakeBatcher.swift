import RunbookCore
import RunbookStore

/// Group commit for intake: alerts posted while one transaction is being written wait and go
/// into the next one together, so under load one commit answers many requests. A request is
/// answered only after the transaction holding its alerts committed.
actor IntakeBatcher {
    private struct Waiting {
        var alerts: [Alert]
        var routes: [AlertRoute]
        var received: [ArraySlice<UInt8>?]
        var continuation: CheckedContinuation<[IntakeOutcome], any Error>
    }

    private let store: any StateStore
    private let clock: any ServerClock
    private let dedupWindow: Duration
    private var waiting: [Waiting] = []
    private var writing = false
    /// A bound on one transaction, so a flood of huge batches still commits in steps.
    private let maxAlertsPerCommit = 5_000

    init(store: any StateStore, clock: any ServerClock, dedupWindow: Duration) {
        self.store = store
        self.clock = clock
        self.dedupWindow = dedupWindow
    }

    func submit(
        _ alerts: [Alert], routes: [AlertRoute], received: [ArraySlice<UInt8>?]
    ) async throws -> [IntakeOutcome] {
        guard !alerts.isEmpty else { return [] }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiting(alerts: alerts, routes: routes, received: received, continuation: continuation))
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            var taken = 0
            var count = 0
            while taken < waiting.count, taken == 0 || count + waiting[taken].alerts.count <= maxAlertsPerCommit {
                count += waiting[taken].alerts.count
                taken += 1
            }
            let batch = Array(waiting.prefix(taken))
            waiting.removeFirst(taken)
            do {
                let outcomes = try await store.ingest(
                    batch.flatMap(\.alerts), routes: batch.flatMap(\.routes), received: batch.flatMap(\.received),
                    now: clock.milliseconds,
                    dedupWindow: dedupWindow)
                var offset = 0
                for request in batch {
                    request.continuation.resume(returning: Array(outcomes[offset..<offset + request.alerts.count]))
                    offset += request.alerts.count
                }
            } catch {
                for request in batch { request.continuation.resume(throwing: error) }
            }
        }
        writing = false
    }
}
