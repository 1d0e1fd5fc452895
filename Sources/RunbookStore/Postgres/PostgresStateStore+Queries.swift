import PostgresNIO
import RunbookCore
import RunbookLifecycle

extension PostgresStateStore {
    public func alerts(limit: Int) async throws -> [AlertRecord] {
        try await statement("read alerts", "SELECT * FROM alerts ORDER BY id DESC LIMIT \(limit)").map(Self.alertRecord)
    }

    public func alert(id: Int64) async throws -> AlertRecord? {
        try await statement("read alert \(id)", "SELECT * FROM alerts WHERE id = \(id)").first.map(Self.alertRecord)
    }

    public func runs(_ query: RunQuery) async throws -> [RunRow] {
        var conditions: [String] = []
        var binds = PostgresBindings()
        func place(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
            binds.append(value)
            return "$\(binds.count)"
        }
        if let states = query.states, !states.isEmpty {
            conditions.append("runs.state = ANY(\(place(states.map(\.rawValue).sorted())))")
        }
        if let resolved = query.resolved {
            conditions.append(resolved ? "runs.resolved_at IS NOT NULL" : "runs.resolved_at IS NULL")
        }
        if let since = query.resolvedSince { conditions.append("runs.resolved_at >= \(place(since))") }
        if query.newestPerAlert {
            conditions.append(
                """
                NOT EXISTS (SELECT 1 FROM runs newer WHERE newer.alert_id = runs.alert_id
                  AND (newer.started_at, newer.id) > (runs.started_at, runs.id))
                """)
        }
        if let drills = query.drills {
            conditions.append(drills ? "runs.fingerprint LIKE 'drill:%'" : "runs.fingerprint NOT LIKE 'drill:%'")
        }
        if let runbook = query.runbook { conditions.append("runs.runbook = \(place(runbook))") }
        if let severity = query.severity {
            conditions.append("runs.alert_id IN (SELECT id FROM alerts WHERE severity = \(place(severity)))")
        }
        if let after = query.after {
            conditions.append("(runs.started_at, runs.id) < (\(place(after.startedAt)), \(place(after.runID)))")
        }
        var sql = "SELECT * FROM runs"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY runs.started_at DESC, runs.id DESC LIMIT \(place(Int64(query.limit)))"
        return try await statement("read runs", PostgresQuery(unsafeSQL: sql, binds: binds)).map(Self.runRow)
    }

    public func alerts(ids: [Int64]) async throws -> [AlertRecord] {
        guard !ids.isEmpty else { return [] }
        return try await statement("read alerts", "SELECT * FROM alerts WHERE id = ANY(\(ids))").map(Self.alertRecord)
    }

    public func currentSteps(runIDs ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        var steps: [String: String] = [:]
        let rows = try await statement(
            "read current steps",
            "SELECT run_id, step_id FROM steps WHERE run_id = ANY(\(ids)) AND result IS NULL ORDER BY seq")
        for row in rows { steps[try row.value("run_id")] = try row.value("step_id") }
        return steps
    }

    public func pendingTimers(runIDs ids: [String]) async throws -> [TimerRow] {
        guard !ids.isEmpty else { return [] }
        return try await statement(
            "read pending timers",
            """
            SELECT * FROM timers WHERE run_id = ANY(\(ids)) AND state IN ('pending', 'claimed') ORDER BY due_at, id
            """
        ).map(Self.timerRow)
    }

    public func acknowledgedOrResolved(runIDs ids: [String]) async throws -> [RunRow] {
        guard !ids.isEmpty else { return [] }
        return try await statement(
            "read acknowledged or resolved runs",
            "SELECT * FROM runs WHERE id = ANY(\(ids)) AND (acked_by IS NOT NULL OR resolved_at IS NOT NULL)"
        ).map(Self.runRow)
    }

    public func run(id: String) async throws -> RunDetail? {
        try await transaction("read run \(id)") { connection -> RunDetail? in
            guard let row = try await self.rows("SELECT * FROM runs WHERE id = \(id)", on: connection).first else {
                return nil
            }
            let steps = try await self.rows(
                "SELECT result FROM steps WHERE run_id = \(id) AND result IS NOT NULL ORDER BY seq", on: connection
            ).map { try StoreCoding.decode(StepResult.self, from: try $0.value("result")) }
            let timeline = try await self.rows(
                "SELECT event FROM timeline WHERE run_id = \(id) ORDER BY seq", on: connection
            )
            .map { try StoreCoding.decode(TimelineEvent.self, from: try $0.value("event")) }
            let timers = try await self.rows(
                "SELECT * FROM timers WHERE run_id = \(id) ORDER BY due_at, id", on: connection
            )
            .map(Self.timerRow)
            let announcements = try await self.rows(
                "SELECT body FROM announcements WHERE run_id = \(id) ORDER BY seq", on: connection
            )
            .map { try StoreCoding.decode(RunAnnouncement.self, from: try $0.value("body")) }
            var detail = RunDetail(run: try Self.runRow(row), steps: steps, timeline: timeline, timers: timers)
            detail.announcements = announcements
            return detail
        }
    }

    public func checkWritable(now: Int64) async throws {
        _ = try await statement(
            "write the readiness row",
            """
            INSERT INTO readiness (id, checked_at) VALUES (1, \(now))
            ON CONFLICT (id) DO UPDATE SET checked_at = EXCLUDED.checked_at
            """)
    }

    public func queueDepth() async throws -> Int {
        let rows = try await statement(
            "count queued alerts", "SELECT COUNT(*) AS depth FROM alerts WHERE state IN ('new', 'processing')")
        return try rows.first?.value("depth") ?? 0
    }

    // MARK: Rows

    static func alertRecord(_ row: PostgresRandomAccessRow) throws -> AlertRecord {
        let state: String = try row.value("state")
        var record = AlertRecord(
            id: try row.value("id"), alert: try StoreCoding.decode(Alert.self, from: try row.value("body")),
            state: AlertState(rawValue: state) ?? .new, receivedAt: try row.value("received_at"),
            lastSeenAt: try row.value("last_seen_at"),
            occurrences: try row.value("occurrences"), silencedBy: try row.value("silenced_by"),
            attempts: try row.value("attempts"),
            runID: try row.value("run_id"), note: try row.value("note"),
            received: (try row.value("received") as ByteBuffer?).map { Array($0.readableBytesView) })
        let handoff: String? = try row.value("handoff")
        record.handoff = try handoff.map { try StoreCoding.decode(AlertHandoff.self, from: $0) }
        record.handoffs = Int(try row.value("handoffs") as Int32)
        return record
    }

    static func runRow(_ row: PostgresRandomAccessRow) throws -> RunRow {
        let id: String = try row.value("id")
        let stateText: String = try row.value("state")
        guard let state = RunState(rawValue: stateText) else {
            throw StoreError("run \(id): unknown state \(stateText)")
        }
        let outcome: String? = try row.value("outcome")
        return RunRow(
            id: id, alertID: try row.value("alert_id"), runbook: try row.value("runbook"),
            fingerprint: try row.value("fingerprint"),
            concurrencyKey: try row.value("concurrency_key"), state: state,
            outcome: outcome.flatMap(RunRecord.Outcome.init(rawValue:)),
            attempt: try row.value("attempt"), startedAt: try row.value("started_at"),
            finishedAt: try row.value("finished_at"),
            ackedBy: try row.value("acked_by"), ackNote: try row.value("ack_note"),
            resolvedAt: try row.value("resolved_at"),
            resolution: try (row.value("resolution") as String?).map {
                try StoreCoding.decode(RunResolution.self, from: $0)
            },
            evidence: try row.value("evidence"),
            evidenceDigest: try row.value("evidence_digest"), waitingFor: try row.value("waiting_for"))
    }

    static func timerRow(_ row: PostgresRandomAccessRow) throws -> TimerRow {
        let state: String = try row.value("state")
        return TimerRow(
            id: try row.value("id"), runID: try row.value("run_id"), alertID: try row.value("alert_id"),
            timer: try StoreCoding.decode(RunTimer.self, from: try row.value("timer")),
            baseAt: try row.value("base_at"),
            dueAt: try row.value("due_at"), key: try row.value("key"),
            state: TimerRow.State(rawValue: state) ?? .pending,
            firedAt: try row.value("fired_at"), attempts: try row.value("attempts"))
    }
}
