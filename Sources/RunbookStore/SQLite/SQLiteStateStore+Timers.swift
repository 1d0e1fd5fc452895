import GRDB
import RunbookCore
public import RunbookLifecycle

extension SQLiteStateStore {
    public func claimDueTimers(worker: String, now: Int64, lockFor: Duration, limit: Int) async throws -> [TimerRow] {
        let lockUntil = now + lockFor.totalMilliseconds
        return try await pool.write { db -> [TimerRow] in
            try Row.fetchAll(
                db,
                sql: """
                    UPDATE timers SET state = 'claimed', claimed_by = ?, lock_until = ?, attempts = attempts + 1
                    WHERE id IN (SELECT id FROM timers WHERE (state = 'pending' AND due_at <= ?) OR (state = 'claimed' AND lock_until < ?)
                                 ORDER BY due_at, id LIMIT ?)
                    RETURNING *
                    """,
                arguments: [worker, lockUntil, now, now, limit]
            ).map(Self.timerRow).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
        }
    }

    public func timerFired(id: Int64, worker: String, next: RunTimer.Scheduled?, now: Int64) async throws -> Bool {
        try await pool.write { db -> Bool in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql:
                        "UPDATE timers SET state = 'fired', fired_at = ? WHERE id = ? AND state = 'claimed' AND claimed_by = ? RETURNING *",
                    arguments: [now, id, worker])
            else { return false }
            let fired = try Self.timerRow(row)
            if let next {
                try Self.insertTimer(
                    next, runID: fired.runID, alertID: fired.alertID, baseAt: fired.baseAt, db: db)
            }
            return true
        }
    }

    public func bringForward(_ timer: RunTimer, ofRun runID: String, to dueAt: Int64) async throws -> Bool {
        let text = try StoreCoding.encode(timer)
        return try await pool.write { db -> Bool in
            try db.execute(
                sql: "UPDATE timers SET due_at = ? WHERE run_id = ? AND timer = ? AND state = 'pending' AND due_at > ?",
                arguments: [dueAt, runID, text, dueAt])
            return db.changesCount > 0
        }
    }

    public func replanEscalation(
        runID: String, alertID: Int64, startedAt: Int64, changes: [LadderReplan.Change]
    ) async throws {
        try await pool.write { db in
            for change in changes {
                switch change {
                case .move(let id, let dueAt):
                    try db.execute(
                        sql: "UPDATE timers SET due_at = ? WHERE id = ? AND run_id = ? AND state = 'pending'",
                        arguments: [dueAt, id, runID])
                case .cancel(let id):
                    try db.execute(
                        sql: "UPDATE timers SET state = 'cancelled' WHERE id = ? AND run_id = ? AND state = 'pending'",
                        arguments: [id, runID])
                case .add(let entry):
                    try Self.insertTimer(entry, runID: runID, alertID: alertID, baseAt: startedAt, db: db)
                }
            }
        }
    }

    public func nextTimerDue() async throws -> Int64? {
        try await pool.read { db in
            try Int64.fetchOne(db, sql: "SELECT MIN(due_at) FROM timers WHERE state = 'pending'")
        }
    }

    static func insertTimer(
        _ entry: RunTimer.Scheduled, runID: String, alertID: Int64, baseAt: Int64, db: Database
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO timers (run_id, alert_id, timer, escalation, base_at, due_at, key, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'pending') ON CONFLICT (key) DO NOTHING
                """,
            arguments: [
                runID, alertID, try StoreCoding.encode(entry.timer), entry.timer.isEscalation ? 1 : 0, baseAt,
                baseAt + entry.due.totalMilliseconds, entry.timer.key(runID: runID),
            ])
    }

    static func timerRow(_ row: Row) throws -> TimerRow {
        TimerRow(
            id: row["id"], runID: row["run_id"], alertID: row["alert_id"],
            timer: try StoreCoding.decode(RunTimer.self, from: row["timer"]),
            baseAt: row["base_at"], dueAt: row["due_at"], key: row["key"],
            state: TimerRow.State(rawValue: row["state"]) ?? .pending,
            firedAt: row["fired_at"], attempts: row["attempts"])
    }
}
