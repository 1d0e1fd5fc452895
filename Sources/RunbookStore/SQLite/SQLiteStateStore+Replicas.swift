import GRDB

extension SQLiteStateStore {
    public func recordReplica(_ replica: ReplicaRecord) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO replicas (worker, catalog_digest, generation, started_at, seen_at)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (worker) DO UPDATE SET catalog_digest = excluded.catalog_digest,
                      generation = excluded.generation, seen_at = excluded.seen_at
                    """,
                arguments: [
                    replica.worker, replica.catalogDigest, replica.generation, replica.startedAt, replica.seenAt,
                ])
        }
    }

    public func replicas(seenSince since: Int64) async throws -> [ReplicaRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM replicas WHERE seen_at >= ? ORDER BY worker", arguments: [since]
            ).map { row in
                ReplicaRecord(
                    worker: row["worker"], catalogDigest: row["catalog_digest"], generation: row["generation"],
                    startedAt: row["started_at"], seenAt: row["seen_at"])
            }
        }
    }
}
