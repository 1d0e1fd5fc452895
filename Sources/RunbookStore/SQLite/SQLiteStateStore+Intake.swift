import Foundation
import GRDB
public import RunbookCore
import RunbookLifecycle

extension SQLiteStateStore {
    public func ingest(
        _ alerts: [Alert], routes: [AlertRoute], received: [ArraySlice<UInt8>?], now: Int64, dedupWindow: Duration
    ) async throws -> [IntakeOutcome] {
        let bodies = alerts.map(AlertJSONWriter.json)
        let silences = try await activeSilences(now: now)
        let routes = alerts.indices.map { $0 < routes.count ? routes[$0] : AlertRoute.runbook }
        // A runbook's own dedup_window, else the catalog default.
        let windows = routes.map { ($0.dedupWindow ?? dedupWindow).totalMilliseconds }
        return try await pool.write { db -> [IntakeOutcome] in
            var outcomes: [IntakeOutcome] = []
            outcomes.reserveCapacity(alerts.count)
            // Prepared once per connection: preparing (and GRDB's authorizer) per alert cost
            // more than executing.
            let latestFiring = try db.cachedStatement(
                sql:
                    "SELECT id, occurrences, last_seen_at FROM alerts WHERE fingerprint = ? AND status = 'firing' ORDER BY id DESC LIMIT 1"
            )
            let inHand = try db.cachedStatement(sql: "SELECT \(AlertOccurrence.inHandSQL) FROM alerts a WHERE a.id = ?")
            let countRepeat = try db.cachedStatement(
                sql: "UPDATE alerts SET occurrences = ?, last_seen_at = ?, ends_at = ? WHERE id = ?")
            let insert = try db.cachedStatement(
                sql: """
                    INSERT INTO alerts (fingerprint, name, source, severity, status, body, state, received_at, last_seen_at,
                      next_attempt_at, silenced_by, note, ends_at, received)
                    VALUES (?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            for (index, (alert, body)) in zip(alerts, bodies).enumerated() {
                let latest = try Row.fetchOne(latestFiring, arguments: [alert.fingerprint])
                if alert.status == .resolved {
                    outcomes.append(try Self.resolveFiring(latest?["id"], body: body, now: now, db: db))
                    continue
                }
                if let latest,
                    try AlertOccurrence.isRepeat(
                        lastSeenAt: latest["last_seen_at"], now: now, dedupWindow: windows[index],
                        inHand: { try Bool.fetchOne(inHand, arguments: [latest["id"] as Int64]) ?? false })
                {
                    let id: Int64 = latest["id"]
                    let occurrences = (latest["occurrences"] as Int) + 1
                    try countRepeat.execute(arguments: [occurrences, now, AlertExpiry.endsAt(alert), id])
                    outcomes.append(.deduplicated(alertID: id, occurrences: occurrences))
                    continue
                }
                let disposition = NewAlertDisposition(
                    labels: alert.labels, silences: silences, hasRunbook: routes[index].hasRunbook,
                    now: now)
                try insert.execute(
                    arguments: [
                        alert.fingerprint, alert.name, alert.source, alert.severity, body,
                        disposition.state.rawValue, now, now, now, disposition.silence?.id, disposition.note,
                        AlertExpiry.endsAt(alert), index < received.count ? received[index].map { Data($0) } : nil,
                    ])
                outcomes.append(disposition.outcome(alertID: db.lastInsertedRowID))
            }
            return outcomes
        }
    }

    public func expireAlerts(now: Int64, limit: Int) async throws -> [IntakeOutcome] {
        try await pool.write { db -> [IntakeOutcome] in
            let due = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, body, ends_at FROM alerts WHERE status = 'firing' AND ends_at IS NOT NULL AND ends_at <= ?
                    ORDER BY ends_at, id LIMIT ?
                    """,
                arguments: [now, limit])
            return try due.map { row in
                try Self.resolveFiring(
                    row["id"], body: try AlertExpiry.resolvedBody(row["body"]), now: row["ends_at"], db: db)
            }
        }
    }

    /// Marks the firing alert of a fingerprint resolved, and its open runs with it. An alert
    /// still waiting for a worker never starts a run.
    static func resolveFiring(_ id: Int64?, body: String, now: Int64, db: Database) throws -> IntakeOutcome {
        guard let id else { return .resolved(alertID: nil, runs: []) }
        try db.execute(
            sql: """
                UPDATE alerts SET status = 'resolved', body = ?, resolved_at = ?, last_seen_at = ?,
                  state = CASE WHEN state = 'new' THEN 'acked' ELSE state END,
                  note = CASE WHEN state = 'new' THEN 'resolved before a run started' ELSE note END
                WHERE id = ?
                """,
            arguments: [body, now, now, id])
        let runs = try Row.fetchAll(
            db,
            sql:
                "SELECT * FROM runs WHERE alert_id = ? AND resolved_at IS NULL AND state IN ('running', 'open', 'acked', 'stopped')",
            arguments: [id]
        ).map(runRow)
        try markResolved(runs, by: .alert, now: now, db: db)
        return .resolved(alertID: id, runs: runs)
    }
}
