import PostgresNIO
public import RunbookCore
public import RunbookLifecycle

extension PostgresStateStore {
    /// One transaction holding the runbook's row (`FOR UPDATE`, created first if missing): a
    /// replica claiming the same tick waits for this one to commit, then finds the tick claimed
    /// (``TickDecision``).
    public func claimTick(_ tick: ScheduleTick, now: Int64) async throws -> TickClaim {
        let alert = tick.alert
        let body = AlertJSONWriter.json(alert)
        return try await transaction("claim tick of \(tick.runbook)") { connection -> TickClaim in
            let created = try await self.rows(
                """
                INSERT INTO schedule_ticks (runbook, schedule, last_tick, alert_id)
                VALUES (\(tick.runbook), \(tick.schedule), \(tick.at), NULL)
                ON CONFLICT (runbook) DO NOTHING RETURNING runbook
                """, on: connection)
            if !created.isEmpty { return .baseline }
            let rows = try await self.rows(
                """
                SELECT t.schedule, t.last_tick, t.alert_id,
                  COALESCE((SELECT \(unescaped: AlertOccurrence.inHandSQL) FROM alerts a WHERE a.id = t.alert_id), false)
                    AS in_hand
                FROM schedule_ticks t WHERE t.runbook = \(tick.runbook) FOR UPDATE OF t
                """, on: connection)
            guard let row = rows.first else { throw StoreError("the schedule row of \(tick.runbook) vanished") }
            let previous: Int64? = try row.value("alert_id")
            let recorded = TickDecision.Recorded(
                schedule: try row.value("schedule"), lastTick: try row.value("last_tick"),
                previousInHand: try row.value("in_hand"))
            switch TickDecision.decide(tick: tick.at, schedule: tick.schedule, recorded: recorded) {
            case .baseline:
                try await self.execute(
                    """
                    UPDATE schedule_ticks SET schedule = \(tick.schedule), last_tick = \(tick.at), alert_id = NULL
                    WHERE runbook = \(tick.runbook)
                    """, on: connection)
                return .baseline
            case .claimedAlready:
                return .claimedAlready
            case .skipPreviousInHand:
                try await self.execute(
                    """
                    UPDATE schedule_ticks SET last_tick = \(tick.at), skipped = skipped + 1
                    WHERE runbook = \(tick.runbook)
                    """, on: connection)
                return .skipped(previousAlertID: previous ?? 0)
            case .queue:
                let note = tick.note
                let inserted = try await self.rows(
                    """
                    INSERT INTO alerts (fingerprint, name, source, severity, status, body, state, received_at,
                      last_seen_at, next_attempt_at, note)
                    VALUES (\(alert.fingerprint), \(alert.name), \(alert.source), NULL, 'firing', \(body), 'new',
                      \(now), \(now), \(now), \(note))
                    RETURNING id
                    """, on: connection)
                guard let id: Int64 = try inserted.first?.value("id") else {
                    throw StoreError("an inserted alert returned no id")
                }
                try await self.execute(
                    """
                    UPDATE schedule_ticks SET last_tick = \(tick.at), alert_id = \(id) WHERE runbook = \(tick.runbook)
                    """, on: connection)
                return .queued(alertID: id)
            }
        }
    }
}
