import PostgresNIO
import RunbookCore

extension PostgresStateStore {
    public func addSilence(_ silence: Silence) async throws {
        let matchers = try StoreCoding.encode(silence.matchers)
        _ = try await statement(
            "save silence \(silence.id)",
            """
            INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, updated_at)
            VALUES (\(silence.id), \(matchers), \(silence.startsAt), \(silence.endsAt), \(silence.createdBy), \(silence.comment), \(silence.updatedAt))
            ON CONFLICT (id) DO UPDATE SET matchers = EXCLUDED.matchers, starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at,
              created_by = EXCLUDED.created_by, comment = EXCLUDED.comment, updated_at = EXCLUDED.updated_at
            """)
    }

    public func silences() async throws -> [Silence] {
        try await statement("read silences", "SELECT * FROM silences ORDER BY starts_at, id").map(Self.silence)
    }

    public func expireSilence(id: String, now: Int64) async throws -> Bool {
        try await !statement(
            "expire silence \(id)",
            """
            UPDATE silences SET ends_at = \(now), starts_at = LEAST(starts_at, \(now)), updated_at = \(now)
            WHERE id = \(id) AND ends_at > \(now) RETURNING id
            """
        ).isEmpty
    }

    static func silence(_ row: PostgresRandomAccessRow) throws -> Silence {
        Silence(
            id: try row.value("id"),
            matchers: try StoreCoding.decode([Silence.Matcher].self, from: try row.value("matchers")),
            startsAt: try row.value("starts_at"), endsAt: try row.value("ends_at"),
            createdBy: try row.value("created_by"),
            comment: try row.value("comment"), updatedAt: try row.value("updated_at"))
    }
}
