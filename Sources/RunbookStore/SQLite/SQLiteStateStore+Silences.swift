import GRDB
import RunbookCore

extension SQLiteStateStore {
    public func addSilence(_ silence: Silence) async throws {
        let matchers = try StoreCoding.encode(silence.matchers)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET matchers = excluded.matchers, starts_at = excluded.starts_at,
                      ends_at = excluded.ends_at, created_by = excluded.created_by, comment = excluded.comment,
                      updated_at = excluded.updated_at
                    """,
                arguments: [
                    silence.id, matchers, silence.startsAt, silence.endsAt, silence.createdBy, silence.comment,
                    silence.updatedAt,
                ])
        }
        await silenceCache.invalidate()
    }

    public func silences() async throws -> [Silence] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM silences ORDER BY starts_at, id").map(Self.silence)
        }
    }

    public func expireSilence(id: String, now: Int64) async throws -> Bool {
        let expired = try await pool.write { db -> Bool in
            try db.execute(
                sql:
                    "UPDATE silences SET ends_at = ?, starts_at = MIN(starts_at, ?), updated_at = ? WHERE id = ? AND ends_at > ?",
                arguments: [now, now, now, id, now])
            return db.changesCount > 0
        }
        await silenceCache.invalidate()
        return expired
    }

    /// Silences not yet ended, from memory: intake checks every new alert against them and
    /// they change rarely (the cache is dropped on every change through this store).
    func activeSilences(now: Int64) async throws -> [Silence] {
        if let cached = await silenceCache.current(now: now) { return cached }
        let loaded = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM silences WHERE ends_at > ?", arguments: [now]).map(Self.silence)
        }
        await silenceCache.store(loaded)
        return loaded.filter { $0.endsAt > now }
    }

    static func silence(_ row: Row) throws -> Silence {
        Silence(
            id: row["id"], matchers: try StoreCoding.decode([Silence.Matcher].self, from: row["matchers"]),
            startsAt: row["starts_at"],
            endsAt: row["ends_at"], createdBy: row["created_by"], comment: row["comment"], updatedAt: row["updated_at"])
    }
}

/// The unexpired silences, kept between intake transactions.
actor SilenceCache {
    private var silences: [Silence]?

    func current(now: Int64) -> [Silence]? { silences?.filter { $0.endsAt > now } }
    func store(_ silences: [Silence]) { self.silences = silences }
    func invalidate() { silences = nil }
}
