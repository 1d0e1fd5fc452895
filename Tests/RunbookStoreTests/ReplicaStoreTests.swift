import Testing

@testable import RunbookStore

/// Serving processes recorded with the catalog they serve (`GET /api/v1/replicas`).
@Suite struct ReplicaStoreTests {
    @Test(arguments: StoreBackend.allCases) func aReplicaIsOneRowUpdatedInPlaceAndListedWhileSeen(
        _ backend: StoreBackend
    ) async throws {
        let store = try await makeStore(backend)
        try await store.recordReplica(
            ReplicaRecord(worker: "h/1/a", catalogDigest: "d1", generation: 0, startedAt: 1_000, seenAt: 1_000))
        try await store.recordReplica(
            ReplicaRecord(worker: "h/2/b", catalogDigest: "d1", generation: 0, startedAt: 2_000, seenAt: 2_000))
        try await store.recordReplica(
            ReplicaRecord(worker: "h/1/a", catalogDigest: "d2", generation: 1, startedAt: 9_999, seenAt: 5_000))
        let all = try await store.replicas(seenSince: 0)
        #expect(
            all == [
                ReplicaRecord(worker: "h/1/a", catalogDigest: "d2", generation: 1, startedAt: 1_000, seenAt: 5_000),
                ReplicaRecord(worker: "h/2/b", catalogDigest: "d1", generation: 0, startedAt: 2_000, seenAt: 2_000),
            ])
        #expect(try await store.replicas(seenSince: 3_000).map(\.worker) == ["h/1/a"])
        await store.close()
    }
}
