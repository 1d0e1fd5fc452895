import GRDB
public import RunbookLifecycle

extension SQLiteStateStore {
    public func relayDecision(
        runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity, now: Int64
    ) async throws -> Int64 {
        let who = try StoreCoding.encode(identity)
        return try await pool.write { db -> Int64 in
            try db.execute(
                sql: "DELETE FROM decisions WHERE state IN ('answered', 'expired') AND created_at < ?",
                arguments: [now - Self.decisionRetention])
            return try Int64.fetchOne(
                db,
                sql: """
                    INSERT INTO decisions (run_id, step, verdict, identity, state, created_at)
                    VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id
                    """,
                arguments: [runID, step, verdict.rawValue, who, now]) ?? 0
        }
    }

    public func takeDecisions(runIDs: [String]) async throws -> [RelayedDecision] {
        guard !runIDs.isEmpty else { return [] }
        let places = Self.placeholders(runIDs.count)
        return try await pool.write { db in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE decisions SET state = 'taken' WHERE state = 'pending' AND run_id IN (\(places))
                    RETURNING id, run_id, step, verdict, identity
                    """,
                arguments: StatementArguments(runIDs)
            ).map { row in
                try Self.decision(
                    id: row["id"], runID: row["run_id"], step: row["step"], verdict: row["verdict"],
                    identity: row["identity"])
            }.sorted { $0.id < $1.id }
        }
    }

    public func answerDecision(id: Int64, _ answer: DecisionAnswer) async throws {
        let text = try StoreCoding.encode(answer)
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE decisions SET state = 'answered', answer = ? WHERE id = ? AND state = 'taken'",
                arguments: [text, id])
        }
    }

    public func decisionAnswer(id: Int64) async throws -> DecisionAnswer? {
        let text = try await pool.read { db in
            try String.fetchOne(
                db, sql: "SELECT answer FROM decisions WHERE id = ? AND state = 'answered'", arguments: [id])
        }
        return try text.map { try StoreCoding.decode(DecisionAnswer.self, from: $0) }
    }

    public func withdrawDecision(id: Int64) async throws -> Bool {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE decisions SET state = 'expired' WHERE id = ? AND state = 'pending'", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// How long answered and withdrawn decisions are kept: long enough for any caller to read.
    static var decisionRetention: Int64 { 3_600_000 }

    static func decision(
        id: Int64, runID: String, step: String, verdict: String, identity: String
    ) throws -> RelayedDecision {
        guard let verdict = ApprovalGate.Verdict(rawValue: verdict) else {
            throw StoreError("decision \(id): unknown verdict \"\(verdict)\"")
        }
        return RelayedDecision(
            id: id, runID: runID, step: step, verdict: verdict,
            identity: try StoreCoding.decode(Identity.self, from: identity))
    }
}
