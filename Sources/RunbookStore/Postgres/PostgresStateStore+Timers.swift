import PostgresNIO
import RunbookCore
public import RunbookLifecycle

extension PostgresStateStore {
    public func claimDueTimers(worker: String, now: Int64, lockFor: Duration, limit: Int) async throws -> [TimerRow] {
        let lockUntil = now + lockFor.totalMilliseconds
        // SKIP LOCKED: replicas claiming at once take disjoint timers; `attempts` counts claims,
        // so a takeover after an expired claim is seen as a possible redelivery.
        return try await statement(
            "claim due timers",
            """
            UPDATE timers SET state = 'claimed', claimed_by = \(worker), lock_until = \(lockUntil), attempts = attempts + 1
            WHERE id IN (SELECT id FROM timers
                         WHERE (state = 'pending' AND due_at <= \(now)) OR (state = 'claimed' AND lock_until < \(now))
                         ORDER BY due_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING *
            """
        ).map(Self.timerRow).sorted { ($0.dueAt, $0.id) < ($1.dueAt, $1.id) }
    }

    public func timerFired(id: Int64, worker: String, next: RunTimer.Scheduled?, now: Int64) async throws -> Bool {
        try await transaction("record timer \(id) fired") { connection -> Bool in
            guard
                let row = try await self.rows(
                    """
                    UPDATE timers SET state = 'fired', fired_at = \(now)
                    WHERE id = \(id) AND state = 'claimed' AND claimed_by = \(worker) RETURNING *
                    """, on: connection
                ).first
            else { return false }
            let fired = try Self.timerRow(row)
            if let next {
                try await self.insertTimer(
                    next, runID: fired.runID, alertID: fired.alertID, baseAt: fired.baseAt, on: connection)
            }
            return true
        }
    }

    public func bringForward(_ timer: RunTimer, ofRun runID: String, to dueAt: Int64) async throws -> Bool {
        let text = try StoreCoding.encode(timer)
        let moved = try await statement(
            "bring a timer of run \(runID) forward",
            """
            UPDATE timers SET due_at = \(dueAt)
            WHERE run_id = \(runID) AND timer = \(text) AND state = 'pending' AND due_at > \(dueAt) RETURNING id
            """)
        return !moved.isEmpty
    }

    public func replanEscalation(
        runID: String, alertID: Int64, startedAt: Int64, changes: [LadderReplan.Change]
    ) async throws {
        try await transaction("replan the escalation of run \(runID)") { connection in
            for change in changes {
                switch change {
                case .move(let id, let dueAt):
                    try await self.execute(
                        "UPDATE timers SET due_at = \(dueAt) WHERE id = \(id) AND run_id = \(runID) AND state = 'pending'",
                        on: connection)
                case .cancel(let id):
                    try await self.execute(
                        """
                        UPDATE timers SET state = 'cancelled' WHERE id = \(id) AND run_id = \(runID) AND state = 'pending'
                        """, on: connection)
                case .add(let entry):
                    try await self.insertTimer(entry, runID: runID, alertID: alertID, baseAt: startedAt, on: connection)
                }
            }
        }
    }

    public func nextTimerDue() async throws -> Int64? {
        try await statement("read the next timer", "SELECT MIN(due_at) AS due FROM timers WHERE state = 'pending'")
            .first?.value("due")
    }

    func insertTimer(
        _ entry: RunTimer.Scheduled, runID: String, alertID: Int64, baseAt: Int64, on connection: PostgresConnection
    ) async throws {
        let timer = try StoreCoding.encode(entry.timer)
        let escalation: Int64 = entry.timer.isEscalation ? 1 : 0
        try await execute(
            """
            INSERT INTO timers (run_id, alert_id, timer, escalation, base_at, due_at, key, state)
            VALUES (\(runID), \(alertID), \(timer), \(escalation), \(baseAt), \(baseAt + entry.due.totalMilliseconds),
              \(entry.timer.key(runID: runID)), 'pending')
            ON CONFLICT (key) DO NOTHING
            """, on: connection)
    }
}
