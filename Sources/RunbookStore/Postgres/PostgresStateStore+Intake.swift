import PostgresNIO
public import RunbookCore
import RunbookLifecycle

extension PostgresStateStore {
    /// Advisory lock class serialising intake per fingerprint across replicas, so two copies of
    /// one alert posted to two replicas at once are deduplicated as on one.
    static let intakeLockClass: Int32 = 0x7262_7802

    public func ingest(
        _ alerts: [Alert], routes: [AlertRoute], received: [ArraySlice<UInt8>?], now: Int64, dedupWindow: Duration
    ) async throws -> [IntakeOutcome] {
        guard !alerts.isEmpty else { return [] }
        let bodies = alerts.map(AlertJSONWriter.json)
        let routes = alerts.indices.map { $0 < routes.count ? routes[$0] : AlertRoute.runbook }
        // A runbook's own dedup_window, else the catalog default.
        let windows = routes.map { ($0.dedupWindow ?? dedupWindow).totalMilliseconds }
        let fingerprints = Array(Set(alerts.map(\.fingerprint)))
        return try await transaction("record \(alerts.count) alerts") { connection -> [IntakeOutcome] in
            // Taken in one order (by key) by every replica, so two batches never deadlock.
            try await self.execute(
                """
                SELECT pg_advisory_xact_lock(\(Self.intakeLockClass), key)
                FROM (SELECT DISTINCT hashtext(fingerprint) AS key FROM unnest(\(fingerprints)::text[]) AS fingerprint) AS keys
                ORDER BY key
                """, on: connection)
            // Read in the transaction, not cached: another replica may have changed them.
            let silences = try await self.rows("SELECT * FROM silences WHERE ends_at > \(now)", on: connection).map(
                Self.silence)
            var outcomes: [IntakeOutcome] = []
            outcomes.reserveCapacity(alerts.count)
            for (index, (alert, body)) in zip(alerts, bodies).enumerated() {
                let latest = try await self.rows(
                    """
                    SELECT id, occurrences, last_seen_at FROM alerts WHERE fingerprint = \(alert.fingerprint) AND status = 'firing'
                    ORDER BY id DESC LIMIT 1
                    """, on: connection
                ).first
                let latestID: Int64? = try latest?.value("id")
                if alert.status == .resolved {
                    outcomes.append(try await self.resolveFiring(latestID, body: body, now: now, on: connection))
                    continue
                }
                if let latest, let id = latestID,
                    try await AlertOccurrence.isRepeat(
                        lastSeenAt: try latest.value("last_seen_at"), now: now, dedupWindow: windows[index],
                        inHand: {
                            let rows = try await self.rows(
                                "SELECT \(unescaped: AlertOccurrence.inHandSQL) AS in_hand FROM alerts a WHERE a.id = \(id)",
                                on: connection)
                            return try rows.first?.value("in_hand") ?? false
                        })
                {
                    let occurrences = (try latest.value("occurrences") as Int) + 1
                    try await self.execute(
                        """
                        UPDATE alerts SET occurrences = \(occurrences), last_seen_at = \(now), ends_at = \(AlertExpiry.endsAt(alert))
                        WHERE id = \(id)
                        """, on: connection)
                    outcomes.append(.deduplicated(alertID: id, occurrences: occurrences))
                    continue
                }
                let disposition = NewAlertDisposition(
                    labels: alert.labels, silences: silences, hasRunbook: routes[index].hasRunbook,
                    now: now)
                let state = disposition.state.rawValue
                let note = disposition.note
                let silenceID = disposition.silence?.id
                let posted = index < received.count ? received[index].map { ByteBuffer(bytes: $0) } : nil
                let inserted = try await self.rows(
                    """
                    INSERT INTO alerts (fingerprint, name, source, severity, status, body, state, received_at, last_seen_at,
                      next_attempt_at, silenced_by, note, ends_at, received)
                    VALUES (\(alert.fingerprint), \(alert.name), \(alert.source), \(alert.severity), 'firing', \(body), \(state),
                      \(now), \(now), \(now), \(silenceID), \(note), \(AlertExpiry.endsAt(alert)), \(posted))
                    RETURNING id
                    """, on: connection)
                guard let id: Int64 = try inserted.first?.value("id") else {
                    throw StoreError("an inserted alert returned no id")
                }
                outcomes.append(disposition.outcome(alertID: id))
            }
            return outcomes
        }
    }

    public func expireAlerts(now: Int64, limit: Int) async throws -> [IntakeOutcome] {
        let due = try await statement(
            "find expired alerts",
            """
            SELECT id, fingerprint FROM alerts WHERE status = 'firing' AND ends_at IS NOT NULL AND ends_at <= \(now)
            ORDER BY ends_at, id LIMIT \(limit)
            """)
        var outcomes: [IntakeOutcome] = []
        // One alert per transaction, under intake's lock for its fingerprint: a re-send that
        // arrives meanwhile either moves endsAt first or finds the alert resolved.
        for row in due {
            let id: Int64 = try row.value("id")
            let fingerprint: String = try row.value("fingerprint")
            let outcome = try await transaction("expire alert \(id)") { connection -> IntakeOutcome? in
                try await self.execute(
                    "SELECT pg_advisory_xact_lock(\(Self.intakeLockClass), hashtext(\(fingerprint)))", on: connection)
                guard
                    let current = try await self.rows(
                        """
                        SELECT body, ends_at FROM alerts WHERE id = \(id) AND status = 'firing' AND ends_at <= \(now) FOR UPDATE
                        """, on: connection
                    ).first
                else { return nil }
                let body = try AlertExpiry.resolvedBody(try current.value("body"))
                return try await self.resolveFiring(id, body: body, now: try current.value("ends_at"), on: connection)
            }
            if let outcome { outcomes.append(outcome) }
        }
        return outcomes
    }

    /// Marks the firing alert of a fingerprint resolved, and its open runs with it. An alert
    /// still waiting for a worker never starts a run.
    private func resolveFiring(
        _ id: Int64?, body: String, now: Int64, on connection: PostgresConnection
    ) async throws -> IntakeOutcome {
        guard let id else { return .resolved(alertID: nil, runs: []) }
        try await execute(
            """
            UPDATE alerts SET status = 'resolved', body = \(body), resolved_at = \(now), last_seen_at = \(now),
              state = CASE WHEN state = 'new' THEN 'acked' ELSE state END,
              note = CASE WHEN state = 'new' THEN 'resolved before a run started' ELSE note END
            WHERE id = \(id)
            """, on: connection)
        let runs = try await rows(
            """
            SELECT * FROM runs WHERE alert_id = \(id) AND resolved_at IS NULL AND state IN ('running', 'open', 'acked', 'stopped')
            ORDER BY started_at, id FOR NO KEY UPDATE
            """, on: connection
        ).map(Self.runRow)
        try await markResolved(runs, by: .alert, now: now, on: connection)
        return .resolved(alertID: id, runs: runs)
    }
}
