import PostgresNIO

extension PostgresStateStore {
    public func recordReplica(_ replica: ReplicaRecord) async throws {
        let generation = Int64(replica.generation)
        _ = try await statement(
            "record replica \(replica.worker)",
            """
            INSERT INTO replicas (worker, catalog_digest, generation, started_at, seen_at)
            VALUES (\(replica.worker), \(replica.catalogDigest), \(generation), \(replica.startedAt), \(replica.seenAt))
            ON CONFLICT (worker) DO UPDATE SET catalog_digest = EXCLUDED.catalog_digest,
              generation = EXCLUDED.generation, seen_at = EXCLUDED.seen_at
            """)
    }

    public func replicas(seenSince since: Int64) async throws -> [ReplicaRecord] {
        try await statement(
            "read replicas", "SELECT * FROM replicas WHERE seen_at >= \(since) ORDER BY worker"
        ).map { row in
            ReplicaRecord(
                worker: try row.value("worker"), catalogDigest: try row.value("catalog_digest"),
                generation: Int(try row.value("generation") as Int64), startedAt: try row.value("started_at"),
                seenAt: try row.value("seen_at"))
        }
    }
}
