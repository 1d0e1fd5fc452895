import PostgresNIO
import RunbookCore
public import RunbookLifecycle

extension PostgresStateStore {
    /// Advisory lock class (the first half of a two-key lock) serialising the starts of one
    /// runbook for one cooldown key, so a cooldown check sees a start another replica is making.
    static let runStartLockClass: Int32 = 0x7262_7801

    public func startRun(_ start: RunStart, claim: Claim, now: Int64) async throws -> RunStartOutcome {
        let cooldownSince = now - start.cooldown.totalMilliseconds
        return try await transaction("start run \(start.id)") { connection -> RunStartOutcome in
            try await self.fence(claim, "start run \(start.id)", on: connection)
            // Locked until the run is in: a resolution of the alert either came first (and is
            // seen here) or waits, and then finds this run and resolves it.
            let alert = try await self.rows(
                "SELECT attempts, status FROM alerts WHERE id = \(start.alertID) FOR UPDATE", on: connection
            ).first
            let status: String? = try alert?.value("status")
            if status == "resolved" { return .alertResolved }
            try await self.execute(
                "SELECT pg_advisory_xact_lock(\(Self.runStartLockClass), hashtext(\(start.runbook + "\n" + start.cooldownKey)))",
                on: connection)
            if start.cooldown > .zero,
                let previous = try await self.rows(
                    """
                    SELECT id FROM runs WHERE runbook = \(start.runbook) AND cooldown_key = \(start.cooldownKey) AND started_at > \(cooldownSince)
                    ORDER BY started_at DESC LIMIT 1
                    """, on: connection
                ).first
            {
                return .coolingDown(previousRun: try previous.value("id"))
            }
            if let key = start.concurrencyKey, let holder = try await self.keyHolder(key, on: connection) {
                return .busy(key: key, heldBy: holder)
            }
            let previousAttempts: Int? = try alert?.value("attempts")
            let attempt = (previousAttempts ?? 0) + 1
            // A run of another replica may have taken the key since the check: the unique index
            // makes this insert wait for it and then insert nothing.
            let inserted = try await self.rows(
                """
                INSERT INTO runs (id, alert_id, runbook, fingerprint, concurrency_key, state, attempt, started_at, cooldown_key)
                VALUES (\(start.id), \(start.alertID), \(start.runbook), \(start.fingerprint), \(start.concurrencyKey), 'running', \(attempt), \(now), \(start.cooldownKey))
                ON CONFLICT (concurrency_key) WHERE state = 'running' AND concurrency_key IS NOT NULL DO NOTHING
                RETURNING id
                """, on: connection)
            if inserted.isEmpty, let key = start.concurrencyKey {
                return .busy(key: key, heldBy: try await self.keyHolder(key, on: connection) ?? "")
            }
            try await self.execute(
                "UPDATE alerts SET attempts = \(attempt), run_id = \(start.id) WHERE id = \(start.alertID)",
                on: connection)
            // A retry keeps the first attempt's escalation: its timers move to the new run.
            let moved = try await self.rows(
                "UPDATE timers SET run_id = \(start.id) WHERE alert_id = \(start.alertID) AND state IN ('pending', 'claimed') RETURNING id",
                on: connection)
            if moved.isEmpty && attempt == 1 {
                for entry in start.timers {
                    try await self.insertTimer(
                        entry, runID: start.id, alertID: start.alertID, baseAt: now, on: connection)
                }
            }
            return .started(
                RunRow(
                    id: start.id, alertID: start.alertID, runbook: start.runbook, fingerprint: start.fingerprint,
                    concurrencyKey: start.concurrencyKey, state: .running, attempt: attempt, startedAt: now))
        }
    }

    private func keyHolder(_ key: String, on connection: PostgresConnection) async throws -> String? {
        try await rows("SELECT id FROM runs WHERE concurrency_key = \(key) AND state = 'running'", on: connection)
            .first?.value("id")
    }

    public func settleAlert(_ claim: Claim, _ settlement: AlertSettlement, now: Int64) async throws {
        try await transaction("settle alert \(claim.alertID)") { connection in
            try await self.fence(claim, "settle alert \(claim.alertID)", on: connection)
            try await self.settle(claim, settlement, now: now, on: connection)
        }
    }

    private func settle(
        _ claim: Claim, _ settlement: AlertSettlement, now: Int64, on connection: PostgresConnection
    ) async throws {
        try await execute(
            """
            UPDATE alerts SET state = \(settlement.state.rawValue), note = \(settlement.note),
              next_attempt_at = COALESCE(\(settlement.retryAt), next_attempt_at), claimed_by = NULL, lock_until = NULL
            WHERE id = \(claim.alertID)
            """, on: connection)
        if let handoff = settlement.handoff {
            let text = try StoreCoding.encode(handoff)
            try await execute(
                "UPDATE alerts SET handoff = \(text), handoffs = handoffs + 1, attempts = 0 WHERE id = \(claim.alertID)",
                on: connection)
        }
        if settlement.closesAlert {
            try await execute(
                "UPDATE alerts SET status = 'resolved', resolved_at = \(now), ends_at = NULL WHERE id = \(claim.alertID)",
                on: connection)
        }
    }

    /// Refuses a write for a claim that is no longer held (see ``Claim``). The row lock (FOR
    /// SHARE) keeps a takeover from committing between the check and the write.
    func fence(_ claim: Claim, _ action: @autoclosure () -> String, on connection: PostgresConnection) async throws {
        let held = try await rows(
            """
            SELECT 1 FROM alerts WHERE id = \(claim.alertID) AND claim_token = \(claim.token) AND state = 'processing' FOR SHARE
            """, on: connection)
        guard !held.isEmpty else { throw ClaimLost(claim, action: action()) }
    }

    // Steps are recorded in one statement each (a fenced CTE), the busiest writes of a run.

    public func stepStarted(runID: String, stepID: String, claim: Claim, now: Int64) async throws {
        let written = try await statement(
            "record the start of step \(stepID)",
            """
            WITH fence AS (
              SELECT id FROM alerts WHERE id = \(claim.alertID) AND claim_token = \(claim.token) AND state = 'processing' FOR SHARE)
            INSERT INTO steps (run_id, step_id, seq, started_at)
            SELECT \(runID), \(stepID), (SELECT COUNT(*) FROM steps WHERE run_id = \(runID)), \(now) FROM fence
            ON CONFLICT (run_id, step_id) DO UPDATE SET started_at = EXCLUDED.started_at, finished_at = NULL, result = NULL
            RETURNING 1
            """)
        if written.isEmpty { throw ClaimLost(claim, action: "record the start of step \(stepID)") }
    }

    public func approvalWaiting(runID: String, step: String?, claim: Claim) async throws {
        let written = try await statement(
            "record the approval step run \(runID) waits on",
            """
            WITH fence AS (
              SELECT id FROM alerts WHERE id = \(claim.alertID) AND claim_token = \(claim.token) AND state = 'processing' FOR SHARE)
            UPDATE runs SET waiting_for = \(step) WHERE id = \(runID) AND EXISTS (SELECT 1 FROM fence) RETURNING 1
            """)
        if written.isEmpty { throw ClaimLost(claim, action: "record the approval step run \(runID) waits on") }
    }

    public func stepFinished(runID: String, result: StepResult, claim: Claim, now: Int64) async throws {
        let text = try StoreCoding.encode(result)
        let written = try await statement(
            "record the result of step \(result.id)",
            """
            WITH fence AS (
              SELECT id FROM alerts WHERE id = \(claim.alertID) AND claim_token = \(claim.token) AND state = 'processing' FOR SHARE)
            INSERT INTO steps (run_id, step_id, seq, started_at, finished_at, result)
            SELECT \(runID), \(result.id), (SELECT COUNT(*) FROM steps WHERE run_id = \(runID)), \(now), \(now), \(text) FROM fence
            ON CONFLICT (run_id, step_id) DO UPDATE SET finished_at = EXCLUDED.finished_at, result = EXCLUDED.result
            RETURNING 1
            """)
        if written.isEmpty { throw ClaimLost(claim, action: "record the result of step \(result.id)") }
    }

    public func appendTimeline(runID: String, events: [TimelineEvent], claim: Claim?) async throws {
        guard !events.isEmpty else { return }
        let texts = try events.map { try StoreCoding.encode($0) }
        try await transaction("append to the timeline of run \(runID)") { connection in
            if let claim { try await self.fence(claim, "record the timeline of run \(runID)", on: connection) }
            // Appends to one run take turns, so their sequence numbers never collide.
            try await self.execute("SELECT 1 FROM runs WHERE id = \(runID) FOR NO KEY UPDATE", on: connection)
            try await self.execute(
                """
                INSERT INTO timeline (run_id, seq, event)
                SELECT \(runID), base.next + entry.n - 1, entry.event
                FROM (SELECT COALESCE(MAX(seq) + 1, 0) AS next FROM timeline WHERE run_id = \(runID)) AS base,
                     unnest(\(texts)::text[]) WITH ORDINALITY AS entry(event, n)
                """, on: connection)
        }
    }

    public func finishRun(
        id: String, outcome: RunRecord.Outcome, resolution: RunResolution?, evidence: StoredEvidence?,
        settling settlement: AlertSettlement, claim: Claim, now: Int64
    ) async throws -> RunRow? {
        let (path, digest) = (evidence?.path, evidence?.manifestDigest)
        let who = try resolution.map(StoreCoding.encode)
        return try await transaction("finish run \(id)") { connection -> RunRow? in
            try await self.fence(claim, "record the end of run \(id)", on: connection)
            guard
                let row = try await self.rows("SELECT * FROM runs WHERE id = \(id) FOR NO KEY UPDATE", on: connection)
                    .first
            else {
                try await self.settle(claim, settlement, now: now, on: connection)
                return nil
            }
            let before = try Self.runRow(row)
            var standing = before.standing
            let change = standing.finish(outcome)
            let resolvedAt = before.resolvedAt ?? (change.state == .resolved ? now : nil)
            let finished = try await self.rows(
                """
                UPDATE runs SET state = \(change.state.rawValue), outcome = \(outcome.rawValue), evidence = \(path),
                  evidence_digest = \(digest), finished_at = \(now), resolved_at = \(resolvedAt),
                  resolution = COALESCE(resolution, \(change.state == .resolved ? who : nil)), waiting_for = NULL
                WHERE id = \(id) RETURNING *
                """, on: connection)
            try await self.cancelTimers(of: id, change.cancels, on: connection)
            try await self.settle(claim, settlement, now: now, on: connection)
            return try finished.first.map(Self.runRow)
        }
    }

    public func recordAnnouncement(runID: String, _ announcement: RunAnnouncement) async throws {
        guard !announcement.isEmpty else { return }
        let body = try StoreCoding.encode(announcement)
        try await transaction("record what run \(runID) announced") { connection in
            try await self.execute("SELECT 1 FROM runs WHERE id = \(runID) FOR NO KEY UPDATE", on: connection)
            try await self.execute(
                """
                INSERT INTO announcements (run_id, seq, body)
                SELECT \(runID), COALESCE(MAX(seq) + 1, 0), \(body) FROM announcements WHERE run_id = \(runID)
                """, on: connection)
        }
    }

    public func acknowledge(runID: String, by acknowledgement: RunAcknowledgement, now: Int64) async throws -> RunRow? {
        try await transaction("acknowledge run \(runID)") { connection -> RunRow? in
            // NO KEY UPDATE: a timer firing meanwhile may still reference the run (KEY SHARE).
            guard
                let row = try await self.rows(
                    "SELECT * FROM runs WHERE id = \(runID) FOR NO KEY UPDATE", on: connection
                ).first
            else { return nil }
            let before = try Self.runRow(row)
            var standing = before.standing
            guard let change = standing.acknowledge() else { return before }
            try await self.execute(
                """
                UPDATE runs SET acked_by = \(acknowledgement.by), ack_note = \(acknowledgement.note), acked_at = \(now),
                  state = \(change.state.rawValue)
                WHERE id = \(runID)
                """, on: connection)
            try await self.cancelTimers(of: runID, change.cancels, on: connection)
            return before
        }
    }

    public func resolve(runID: String, by resolution: RunResolution, now: Int64) async throws -> RunRow? {
        try await transaction("resolve run \(runID)") { connection -> RunRow? in
            guard
                let row = try await self.rows(
                    "SELECT * FROM runs WHERE id = \(runID) FOR NO KEY UPDATE", on: connection
                ).first
            else { return nil }
            let before = try Self.runRow(row)
            try await self.markResolved([before], by: resolution, now: now, on: connection)
            return before
        }
    }

    /// Resolves runs read (and locked) in this transaction, as ``RunStanding`` says: open and
    /// acknowledged ones become `resolved`; a running one keeps running (its worker stops it and
    /// records the end) but is marked, so nothing re-opens it.
    func markResolved(
        _ runs: [RunRow], by resolution: RunResolution, now: Int64, on connection: PostgresConnection
    ) async throws {
        let who = try StoreCoding.encode(resolution)
        for run in runs {
            var standing = run.standing
            guard let change = standing.resolve() else { continue }
            try await execute(
                """
                UPDATE runs SET resolved_at = \(now), resolution = \(who), state = \(change.state.rawValue)
                WHERE id = \(run.id)
                """,
                on: connection)
            try await cancelTimers(of: run.id, change.cancels, on: connection)
        }
    }

    /// Ends a run's pending or claimed timers, as far as a change of its standing says.
    func cancelTimers(
        of runID: String, _ scope: RunStanding.TimerCancellation, on connection: PostgresConnection
    ) async throws {
        switch scope {
        case .none:
            return
        case .escalations:
            try await execute(
                """
                UPDATE timers SET state = 'cancelled'
                WHERE run_id = \(runID) AND escalation = 1 AND state IN ('pending', 'claimed')
                """, on: connection)
        case .all:
            try await execute(
                "UPDATE timers SET state = 'cancelled' WHERE run_id = \(runID) AND state IN ('pending', 'claimed')",
                on: connection)
        }
    }
}
