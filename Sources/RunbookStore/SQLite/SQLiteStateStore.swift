import Foundation
import GRDB
import RunbookCore
public import RunbookLifecycle

/// The embedded store: one SQLite file in WAL mode (`store: sqlite:PATH`).
///
/// Writes are serialised by SQLite, so each operation's transaction is atomic against every
/// other. Commits use `synchronous = NORMAL`: a committed alert survives `kill -9` of rbx (the
/// WAL is in the OS's hands); a power cut may lose the last transactions (see
/// docs/operations.md). One process owns the file at a time, enforced with a lock file.
public final class SQLiteStateStore: StateStore {
    let pool: DatabasePool
    private let ownership: ExclusiveFileLock
    let silenceCache = SilenceCache()
    public let path: String
    public var isExclusive: Bool { true }

    /// Opens (creating if needed) and migrates the store at `path`.
    /// - Throws: ``StoreError`` when another process holds the file or it cannot be opened.
    public init(path: String) throws {
        self.path = path
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        ownership = try ExclusiveFileLock(path: path + ".lock")
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints fsync; every 1,000 pages (the default) they stalled intake under load.
            // 10,000 pages lets the WAL grow to about 40 MB between them.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 10000")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
        } catch {
            throw StoreError("\(path): cannot open the SQLite store: \(error)")
        }
    }

    /// Applied migration identifiers, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try SQLiteSchema.migrator.appliedMigrations(db) }
    }

    // MARK: Claims

    public func claimAlert(worker: String, now: Int64, lockFor: Duration) async throws -> ClaimedAlert? {
        let lockUntil = now + lockFor.totalMilliseconds
        return try await pool.write { db -> ClaimedAlert? in
            let candidate =
                try Row.fetchOne(
                    db, sql: "SELECT id FROM alerts WHERE state = 'processing' AND lock_until < ? ORDER BY id LIMIT 1",
                    arguments: [now])
                ?? Row.fetchOne(
                    db,
                    sql:
                        "SELECT id FROM alerts WHERE state = 'new' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT 1",
                    arguments: [now])
            guard let id: Int64 = candidate?["id"] else { return nil }
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        UPDATE alerts SET state = 'processing', claimed_by = ?, lock_until = ?, claim_token = claim_token + 1
                        WHERE id = ? RETURNING *
                        """,
                    arguments: [worker, lockUntil, id])
            else { return nil }
            let record = try Self.alertRecord(row)
            let claim = Claim(alertID: id, worker: worker, token: row["claim_token"])
            guard let runID = record.runID,
                let runRow = try Row.fetchOne(
                    db, sql: "SELECT * FROM runs WHERE id = ? AND state = 'running'", arguments: [runID])
            else { return ClaimedAlert(record: record, claim: claim) }
            return ClaimedAlert(
                record: record, claim: claim, interruptedRun: try Self.interruptedRun(try Self.runRow(runRow), db: db))
        }
    }

    public func renewClaims(_ claims: [Claim], now: Int64, lockFor: Duration) async throws -> [Claim] {
        guard !claims.isEmpty else { return [] }
        let lockUntil = now + lockFor.totalMilliseconds
        return try await pool.write { db -> [Claim] in
            var lost: [Claim] = []
            for claim in claims {
                try db.execute(
                    sql: "UPDATE alerts SET lock_until = ? WHERE id = ? AND claim_token = ? AND state = 'processing'",
                    arguments: [lockUntil, claim.alertID, claim.token])
                if db.changesCount == 0 { lost.append(claim) }
            }
            return lost
        }
    }

    /// Refuses a write for a claim that is no longer held (see ``Claim``). Inside the write's
    /// transaction, so no takeover can slip in between the check and the write.
    static func fence(_ claim: Claim, _ action: @autoclosure () -> String, db: Database) throws {
        let held =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM alerts WHERE id = ? AND claim_token = ? AND state = 'processing'",
                arguments: [claim.alertID, claim.token]) ?? false
        guard held else { throw ClaimLost(claim, action: action()) }
    }

    public func releaseClaims(exceptWorker worker: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(
                sql: "UPDATE alerts SET lock_until = 0 WHERE state = 'processing' AND claimed_by IS NOT ?",
                arguments: [worker])
            var released = db.changesCount
            try db.execute(
                sql:
                    "UPDATE timers SET state = 'pending', claimed_by = NULL, lock_until = NULL WHERE state = 'claimed' AND claimed_by IS NOT ?",
                arguments: [worker])
            released += db.changesCount
            return released
        }
    }

    private static func interruptedRun(_ run: RunRow, db: Database) throws -> InterruptedRun {
        var finished: [StepResult] = []
        var interrupted: String?
        for row in try Row.fetchAll(
            db, sql: "SELECT step_id, result FROM steps WHERE run_id = ? ORDER BY seq", arguments: [run.id])
        {
            if let text: String = row["result"] {
                finished.append(try StoreCoding.decode(StepResult.self, from: text))
            } else {
                interrupted = row["step_id"]
            }
        }
        return InterruptedRun(run: run, resumption: RunResumption(finished: finished, interruptedStep: interrupted))
    }

    // MARK: Runs

    public func startRun(_ start: RunStart, claim: Claim, now: Int64) async throws -> RunStartOutcome {
        try await pool.write { db -> RunStartOutcome in
            try Self.fence(claim, "start run \(start.id)", db: db)
            let status = try String.fetchOne(
                db, sql: "SELECT status FROM alerts WHERE id = ?", arguments: [start.alertID])
            if status == "resolved" { return .alertResolved }
            if start.cooldown > .zero,
                let previous = try String.fetchOne(
                    db,
                    sql:
                        "SELECT id FROM runs WHERE runbook = ? AND cooldown_key = ? AND started_at > ? ORDER BY started_at DESC LIMIT 1",
                    arguments: [start.runbook, start.cooldownKey, now - start.cooldown.totalMilliseconds])
            {
                return .coolingDown(previousRun: previous)
            }
            if let key = start.concurrencyKey,
                let holder = try String.fetchOne(
                    db, sql: "SELECT id FROM runs WHERE concurrency_key = ? AND state = 'running'", arguments: [key])
            {
                return .busy(key: key, heldBy: holder)
            }
            let attempt =
                (try Int.fetchOne(db, sql: "SELECT attempts FROM alerts WHERE id = ?", arguments: [start.alertID]) ?? 0)
                + 1
            try db.execute(
                sql: """
                    INSERT INTO runs (id, alert_id, runbook, fingerprint, concurrency_key, state, attempt, started_at,
                      cooldown_key)
                    VALUES (?, ?, ?, ?, ?, 'running', ?, ?, ?)
                    """,
                arguments: [
                    start.id, start.alertID, start.runbook, start.fingerprint, start.concurrencyKey, attempt, now,
                    start.cooldownKey,
                ])
            try db.execute(
                sql: "UPDATE alerts SET attempts = ?, run_id = ? WHERE id = ?",
                arguments: [attempt, start.id, start.alertID])
            // A retry keeps the first attempt's escalation: its timers move to the new run.
            try db.execute(
                sql: "UPDATE timers SET run_id = ? WHERE alert_id = ? AND state IN ('pending', 'claimed')",
                arguments: [start.id, start.alertID])
            if db.changesCount == 0 && attempt == 1 {
                for entry in start.timers {
                    try Self.insertTimer(entry, runID: start.id, alertID: start.alertID, baseAt: now, db: db)
                }
            }
            return .started(
                RunRow(
                    id: start.id, alertID: start.alertID, runbook: start.runbook, fingerprint: start.fingerprint,
                    concurrencyKey: start.concurrencyKey, state: .running, attempt: attempt, startedAt: now))
        }
    }

    public func settleAlert(_ claim: Claim, _ settlement: AlertSettlement, now: Int64) async throws {
        try await pool.write { db in
            try Self.fence(claim, "settle alert \(claim.alertID)", db: db)
            try Self.settle(claim, settlement, now: now, db: db)
        }
    }

    private static func settle(_ claim: Claim, _ settlement: AlertSettlement, now: Int64, db: Database) throws {
        try db.execute(
            sql: """
                UPDATE alerts SET state = ?, note = ?, next_attempt_at = COALESCE(?, next_attempt_at),
                  claimed_by = NULL, lock_until = NULL WHERE id = ?
                """,
            arguments: [settlement.state.rawValue, settlement.note, settlement.retryAt, claim.alertID])
        if let handoff = settlement.handoff {
            try db.execute(
                sql: "UPDATE alerts SET handoff = ?, handoffs = handoffs + 1, attempts = 0 WHERE id = ?",
                arguments: [try StoreCoding.encode(handoff), claim.alertID])
        }
        if settlement.closesAlert {
            try db.execute(
                sql: "UPDATE alerts SET status = 'resolved', resolved_at = ?, ends_at = NULL WHERE id = ?",
                arguments: [now, claim.alertID])
        }
    }

    public func stepStarted(runID: String, stepID: String, claim: Claim, now: Int64) async throws {
        try await pool.write { db in
            try Self.fence(claim, "record the start of step \(stepID)", db: db)
            let seq = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM steps WHERE run_id = ?", arguments: [runID]) ?? 0
            try db.execute(
                sql: """
                    INSERT INTO steps (run_id, step_id, seq, started_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (run_id, step_id) DO UPDATE SET started_at = excluded.started_at, finished_at = NULL, result = NULL
                    """,
                arguments: [runID, stepID, seq, now])
        }
    }

    public func approvalWaiting(runID: String, step: String?, claim: Claim) async throws {
        try await pool.write { db in
            try Self.fence(claim, "record the approval step run \(runID) waits on", db: db)
            try db.execute(sql: "UPDATE runs SET waiting_for = ? WHERE id = ?", arguments: [step, runID])
        }
    }

    public func stepFinished(runID: String, result: StepResult, claim: Claim, now: Int64) async throws {
        let text = try StoreCoding.encode(result)
        try await pool.write { db in
            try Self.fence(claim, "record the result of step \(result.id)", db: db)
            let seq = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM steps WHERE run_id = ?", arguments: [runID]) ?? 0
            try db.execute(
                sql: """
                    INSERT INTO steps (run_id, step_id, seq, started_at, finished_at, result) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, step_id) DO UPDATE SET finished_at = excluded.finished_at, result = excluded.result
                    """,
                arguments: [runID, result.id, seq, now, now, text])
        }
    }

    public func appendTimeline(runID: String, events: [TimelineEvent], claim: Claim?) async throws {
        guard !events.isEmpty else { return }
        let texts = try events.map { try StoreCoding.encode($0) }
        try await pool.write { db in
            if let claim { try Self.fence(claim, "record the timeline of run \(runID)", db: db) }
            var seq =
                try Int.fetchOne(
                    db, sql: "SELECT COALESCE(MAX(seq) + 1, 0) FROM timeline WHERE run_id = ?", arguments: [runID]) ?? 0
            for text in texts {
                try db.execute(
                    sql: "INSERT INTO timeline (run_id, seq, event) VALUES (?, ?, ?)", arguments: [runID, seq, text])
                seq += 1
            }
        }
    }

    public func finishRun(
        id: String, outcome: RunRecord.Outcome, resolution: RunResolution?, evidence: StoredEvidence?,
        settling settlement: AlertSettlement, claim: Claim, now: Int64
    ) async throws -> RunRow? {
        let who = try resolution.map(StoreCoding.encode)
        return try await pool.write { db -> RunRow? in
            try Self.fence(claim, "record the end of run \(id)", db: db)
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
                try Self.settle(claim, settlement, now: now, db: db)
                return nil
            }
            let before = try Self.runRow(row)
            var standing = before.standing
            let change = standing.finish(outcome)
            let resolvedAt = before.resolvedAt ?? (change.state == .resolved ? now : nil)
            let finished = try Row.fetchOne(
                db,
                sql: """
                    UPDATE runs SET state = ?, outcome = ?, evidence = ?, finished_at = ?, resolved_at = ?,
                      evidence_digest = ?, resolution = COALESCE(resolution, ?), waiting_for = NULL
                    WHERE id = ? RETURNING *
                    """,
                arguments: [
                    change.state.rawValue, outcome.rawValue, evidence?.path, now, resolvedAt, evidence?.manifestDigest,
                    change.state == .resolved ? who : nil, id,
                ])
            try Self.cancelTimers(of: id, change.cancels, db: db)
            try Self.settle(claim, settlement, now: now, db: db)
            return try finished.map(Self.runRow)
        }
    }

    public func recordAnnouncement(runID: String, _ announcement: RunAnnouncement) async throws {
        guard !announcement.isEmpty else { return }
        let body = try StoreCoding.encode(announcement)
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO announcements (run_id, seq, body)
                    SELECT ?, COALESCE(MAX(seq) + 1, 0), ? FROM announcements WHERE run_id = ?
                    """,
                arguments: [runID, body, runID])
        }
    }

    public func acknowledge(runID: String, by acknowledgement: RunAcknowledgement, now: Int64) async throws -> RunRow? {
        try await pool.write { db -> RunRow? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID]) else {
                return nil
            }
            let before = try Self.runRow(row)
            var standing = before.standing
            guard let change = standing.acknowledge() else { return before }
            try db.execute(
                sql: "UPDATE runs SET acked_by = ?, ack_note = ?, acked_at = ?, state = ? WHERE id = ?",
                arguments: [acknowledgement.by, acknowledgement.note, now, change.state.rawValue, runID])
            try Self.cancelTimers(of: runID, change.cancels, db: db)
            return before
        }
    }

    public func resolve(runID: String, by resolution: RunResolution, now: Int64) async throws -> RunRow? {
        try await pool.write { db -> RunRow? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID]) else {
                return nil
            }
            let before = try Self.runRow(row)
            try Self.markResolved([before], by: resolution, now: now, db: db)
            return before
        }
    }

    /// Resolves runs read in this transaction, as ``RunStanding`` says: open and acknowledged
    /// ones become `resolved`; a running one keeps running (its worker stops it and records the
    /// end) but is marked, so nothing re-opens it.
    static func markResolved(_ runs: [RunRow], by resolution: RunResolution, now: Int64, db: Database) throws {
        let who = try StoreCoding.encode(resolution)
        for run in runs {
            var standing = run.standing
            guard let change = standing.resolve() else { continue }
            try db.execute(
                sql: "UPDATE runs SET resolved_at = ?, resolution = ?, state = ? WHERE id = ?",
                arguments: [now, who, change.state.rawValue, run.id])
            try cancelTimers(of: run.id, change.cancels, db: db)
        }
    }

    /// Ends a run's pending or claimed timers, as far as a change of its standing says.
    static func cancelTimers(of runID: String, _ scope: RunStanding.TimerCancellation, db: Database) throws {
        let only: String
        switch scope {
        case .none: return
        case .escalations: only = " AND escalation = 1"
        case .all: only = ""
        }
        try db.execute(
            sql: "UPDATE timers SET state = 'cancelled' WHERE run_id = ? AND state IN ('pending', 'claimed')" + only,
            arguments: [runID])
    }

    // MARK: Queries

    public func alerts(limit: Int) async throws -> [AlertRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alerts ORDER BY id DESC LIMIT ?", arguments: [limit]).map(
                Self.alertRecord)
        }
    }

    public func alert(id: Int64) async throws -> AlertRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM alerts WHERE id = ?", arguments: [id]).map(Self.alertRecord)
        }
    }

    public func runs(_ query: RunQuery) async throws -> [RunRow] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let states = query.states, !states.isEmpty {
            conditions.append("runs.state IN (" + states.map { _ in "?" }.joined(separator: ", ") + ")")
            for state in states.sorted(by: { $0.rawValue < $1.rawValue }) {
                _ = arguments.append(contentsOf: [state.rawValue])
            }
        }
        if let resolved = query.resolved {
            conditions.append(resolved ? "runs.resolved_at IS NOT NULL" : "runs.resolved_at IS NULL")
        }
        if let since = query.resolvedSince {
            conditions.append("runs.resolved_at >= ?")
            _ = arguments.append(contentsOf: [since])
        }
        if query.newestPerAlert {
            conditions.append(
                """
                NOT EXISTS (SELECT 1 FROM runs newer WHERE newer.alert_id = runs.alert_id
                  AND (newer.started_at > runs.started_at OR (newer.started_at = runs.started_at AND newer.id > runs.id)))
                """)
        }
        if let drills = query.drills {
            conditions.append(drills ? "runs.fingerprint LIKE 'drill:%'" : "runs.fingerprint NOT LIKE 'drill:%'")
        }
        if let runbook = query.runbook {
            conditions.append("runs.runbook = ?")
            _ = arguments.append(contentsOf: [runbook])
        }
        if let severity = query.severity {
            conditions.append("runs.alert_id IN (SELECT id FROM alerts WHERE severity = ?)")
            _ = arguments.append(contentsOf: [severity])
        }
        if let after = query.after {
            conditions.append("(runs.started_at < ? OR (runs.started_at = ? AND runs.id < ?))")
            _ = arguments.append(contentsOf: [after.startedAt, after.startedAt, after.runID])
        }
        var sql = "SELECT * FROM runs"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY runs.started_at DESC, runs.id DESC LIMIT ?"
        _ = arguments.append(contentsOf: [query.limit])
        let statement = sql
        let values = arguments
        return try await pool.read { db in try Row.fetchAll(db, sql: statement, arguments: values).map(Self.runRow) }
    }

    public func alerts(ids: [Int64]) async throws -> [AlertRecord] {
        guard !ids.isEmpty else { return [] }
        let places = Self.placeholders(ids.count)
        return try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM alerts WHERE id IN (\(places))", arguments: StatementArguments(ids)
            )
            .map(Self.alertRecord)
        }
    }

    public func currentSteps(runIDs ids: [String]) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        let places = Self.placeholders(ids.count)
        return try await pool.read { db in
            var steps: [String: String] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT run_id, step_id FROM steps WHERE run_id IN (\(places)) AND result IS NULL ORDER BY seq",
                arguments: StatementArguments(ids))
            for row in rows { steps[row["run_id"]] = row["step_id"] }
            return steps
        }
    }

    public func pendingTimers(runIDs ids: [String]) async throws -> [TimerRow] {
        guard !ids.isEmpty else { return [] }
        let places = Self.placeholders(ids.count)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM timers WHERE run_id IN (\(places)) AND state IN ('pending', 'claimed')
                    ORDER BY due_at, id
                    """,
                arguments: StatementArguments(ids)
            ).map(Self.timerRow)
        }
    }

    public func acknowledgedOrResolved(runIDs ids: [String]) async throws -> [RunRow] {
        guard !ids.isEmpty else { return [] }
        let places = Self.placeholders(ids.count)
        return try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM runs WHERE id IN (\(places)) AND (acked_by IS NOT NULL OR resolved_at IS NOT NULL)
                    """,
                arguments: StatementArguments(ids)
            ).map(Self.runRow)
        }
    }

    public func run(id: String) async throws -> RunDetail? {
        try await pool.read { db -> RunDetail? in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]) else {
                return nil
            }
            let steps = try String.fetchAll(
                db, sql: "SELECT result FROM steps WHERE run_id = ? AND result IS NOT NULL ORDER BY seq",
                arguments: [id]
            ).map { try StoreCoding.decode(StepResult.self, from: $0) }
            let timeline = try String.fetchAll(
                db, sql: "SELECT event FROM timeline WHERE run_id = ? ORDER BY seq", arguments: [id]
            )
            .map { try StoreCoding.decode(TimelineEvent.self, from: $0) }
            let timers = try Row.fetchAll(
                db, sql: "SELECT * FROM timers WHERE run_id = ? ORDER BY due_at, id", arguments: [id]
            )
            .map(Self.timerRow)
            var detail = RunDetail(run: try Self.runRow(row), steps: steps, timeline: timeline, timers: timers)
            detail.announcements = try String.fetchAll(
                db, sql: "SELECT body FROM announcements WHERE run_id = ? ORDER BY seq", arguments: [id]
            ).map { try StoreCoding.decode(RunAnnouncement.self, from: $0) }
            return detail
        }
    }

    public func checkWritable(now: Int64) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO readiness (id, checked_at) VALUES (1, ?)
                    ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at
                    """,
                arguments: [now])
        }
    }

    public func queueDepth() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts WHERE state IN ('new', 'processing')") ?? 0
        }
    }

    // MARK: Rows

    /// `?, ?, ?` for an `IN (…)` list of `count` values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    static func alertRecord(_ row: Row) throws -> AlertRecord {
        var record = AlertRecord(
            id: row["id"], alert: try StoreCoding.decode(Alert.self, from: row["body"]),
            state: AlertState(rawValue: row["state"]) ?? .new, receivedAt: row["received_at"],
            lastSeenAt: row["last_seen_at"],
            occurrences: row["occurrences"], silencedBy: row["silenced_by"], attempts: row["attempts"],
            runID: row["run_id"],
            note: row["note"], received: (row["received"] as Data?).map { [UInt8]($0) })
        record.handoff = try (row["handoff"] as String?).map { try StoreCoding.decode(AlertHandoff.self, from: $0) }
        record.handoffs = (row["handoffs"] as Int?) ?? 0
        return record
    }

    static func runRow(_ row: Row) throws -> RunRow {
        let stateText: String = row["state"]
        guard let state = RunState(rawValue: stateText) else {
            throw StoreError("run \(row["id"] ?? ""): unknown state \(stateText)")
        }
        return RunRow(
            id: row["id"], alertID: row["alert_id"], runbook: row["runbook"], fingerprint: row["fingerprint"],
            concurrencyKey: row["concurrency_key"], state: state,
            outcome: (row["outcome"] as String?).flatMap(RunRecord.Outcome.init(rawValue:)), attempt: row["attempt"],
            startedAt: row["started_at"], finishedAt: row["finished_at"], ackedBy: row["acked_by"],
            ackNote: row["ack_note"], resolvedAt: row["resolved_at"],
            resolution: try (row["resolution"] as String?).map { try StoreCoding.decode(RunResolution.self, from: $0) },
            evidence: row["evidence"], evidenceDigest: row["evidence_digest"], waitingFor: row["waiting_for"])
    }
}
