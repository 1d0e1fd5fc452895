import GRDB
public import RunbookCore
public import RunbookLifecycle

extension SQLiteStateStore {
    /// One write transaction: SQLite runs one writer at a time, so reading the last tick and
    /// recording this one cannot interleave with another claim (``TickDecision``).
    public func claimTick(_ tick: ScheduleTick, now: Int64) async throws -> TickClaim {
        let alert = tick.alert
        // Written before the transaction, though only a queued tick needs it: the writer lock is
        // held for as little as possible.
        let body = AlertJSONWriter.json(alert)
        return try await pool.write { db -> TickClaim in
            let row = try Row.fetchOne(
                db, sql: "SELECT schedule, last_tick, alert_id FROM schedule_ticks WHERE runbook = ?",
                arguments: [tick.runbook])
            let previous: Int64? = row?["alert_id"]
            var recorded: TickDecision.Recorded?
            if let row {
                let inHand =
                    try previous.map {
                        try Bool.fetchOne(
                            db, sql: "SELECT \(AlertOccurrence.inHandSQL) FROM alerts a WHERE a.id = ?", arguments: [$0]
                        )
                            ?? false
                    } ?? false
                recorded = TickDecision.Recorded(
                    schedule: row["schedule"], lastTick: row["last_tick"], previousInHand: inHand)
            }
            switch TickDecision.decide(tick: tick.at, schedule: tick.schedule, recorded: recorded) {
            case .baseline:
                try db.execute(
                    sql: """
                        INSERT INTO schedule_ticks (runbook, schedule, last_tick, alert_id) VALUES (?, ?, ?, NULL)
                        ON CONFLICT (runbook) DO UPDATE SET schedule = excluded.schedule, last_tick = excluded.last_tick,
                          alert_id = NULL
                        """,
                    arguments: [tick.runbook, tick.schedule, tick.at])
                return .baseline
            case .claimedAlready:
                return .claimedAlready
            case .skipPreviousInHand:
                try db.execute(
                    sql: "UPDATE schedule_ticks SET last_tick = ?, skipped = skipped + 1 WHERE runbook = ?",
                    arguments: [tick.at, tick.runbook])
                return .skipped(previousAlertID: previous ?? 0)
            case .queue:
                try db.execute(
                    sql: """
                        INSERT INTO alerts (fingerprint, name, source, severity, status, body, state, received_at,
                          last_seen_at, next_attempt_at, note)
                        VALUES (?, ?, ?, NULL, 'firing', ?, 'new', ?, ?, ?, ?)
                        """,
                    arguments: [
                        alert.fingerprint, alert.name, alert.source, body, now, now, now,
                        tick.note,
                    ])
                let id = db.lastInsertedRowID
                try db.execute(
                    sql: "UPDATE schedule_ticks SET last_tick = ?, alert_id = ? WHERE runbook = ?",
                    arguments: [tick.at, id, tick.runbook])
                return .queued(alertID: id)
            }
        }
    }
}
