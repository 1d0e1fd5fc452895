import PostgresNIO
public import RunbookLifecycle

extension PostgresStateStore {
    public func relayDecision(
        runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity, now: Int64
    ) async throws -> Int64 {
        let who = try StoreCoding.encode(identity)
        let retained = now - SQLiteStateStore.decisionRetention
        _ = try await statement(
            "drop old decisions",
            "DELETE FROM decisions WHERE state IN ('answered', 'expired') AND created_at < \(retained)")
        let rows = try await statement(
            "relay a decision on run \(runID)",
            """
            INSERT INTO decisions (run_id, step, verdict, identity, state, created_at)
            VALUES (\(runID), \(step), \(verdict.rawValue), \(who), 'pending', \(now)) RETURNING id
            """)
        guard let row = rows.first else { throw StoreError("relaying a decision on run \(runID) returned no id") }
        return try row.value("id")
    }

    public func takeDecisions(runIDs: [String]) async throws -> [RelayedDecision] {
        guard !runIDs.isEmpty else { return [] }
        return try await statement(
            "take relayed decisions",
            """
            UPDATE decisions SET state = 'taken' WHERE state = 'pending' AND run_id = ANY(\(runIDs))
            RETURNING id, run_id, step, verdict, identity
            """
        ).map { row in
            try SQLiteStateStore.decision(
                id: try row.value("id"), runID: try row.value("run_id"), step: try row.value("step"),
                verdict: try row.value("verdict"), identity: try row.value("identity"))
        }.sorted { $0.id < $1.id }
    }

    public func answerDecision(id: Int64, _ answer: DecisionAnswer) async throws {
        let text = try StoreCoding.encode(answer)
        _ = try await statement(
            "answer decision \(id)",
            "UPDATE decisions SET state = 'answered', answer = \(text) WHERE id = \(id) AND state = 'taken'")
    }

    public func decisionAnswer(id: Int64) async throws -> DecisionAnswer? {
        let rows = try await statement(
            "read the answer to decision \(id)",
            "SELECT answer FROM decisions WHERE id = \(id) AND state = 'answered'")
        guard let row = rows.first else { return nil }
        let answer: String? = try row.value("answer")
        return try answer.map { try StoreCoding.decode(DecisionAnswer.self, from: $0) }
    }

    public func withdrawDecision(id: Int64) async throws -> Bool {
        try await !statement(
            "withdraw decision \(id)",
            "UPDATE decisions SET state = 'expired' WHERE id = \(id) AND state = 'pending' RETURNING id"
        ).isEmpty
    }
}
