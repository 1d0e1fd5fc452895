import Foundation
public import PostgresNIO
import RunbookCore
import RunbookLifecycle

/// The shared store: one PostgreSQL database that several `rbx serve` replicas use at once
/// (`store: postgres://USER@HOST:PORT/DATABASE`).
///
/// Each operation is one transaction (or one statement) with bound parameters. Claims of
/// alerts and timers pick rows with `FOR UPDATE SKIP LOCKED`, so replicas claiming at once
/// take different rows without waiting on each other; the concurrency key is held by a partial
/// unique index and cooldowns, dedup and resolution by transaction-scoped advisory locks, so
/// the database, not a process, decides. The store owns its connection pool and the task that
/// runs it: ``close()`` ends both.
public final class PostgresStateStore: StateStore {
    let client: PostgresClient
    let logger: Logger
    public let configuration: PostgresStoreConfiguration
    private let poolTask: Task<Void, Never>
    /// Replicas share the database: no claim held by another worker id is known to be dead.
    public var isExclusive: Bool { false }

    /// Connects, migrates (see ``PostgresSchema``) and starts the connection pool.
    /// - Throws: ``StoreError`` naming `host:port` and the reason when the database cannot be
    ///   reached, refuses the login, or was migrated by a newer rbx.
    public init(
        configuration: PostgresStoreConfiguration, logger: Logger = Logger(label: "rbx.store.postgres")
    ) async throws {
        self.configuration = configuration
        self.logger = logger
        // The pool starts first (it connects lazily), so that its run() is under way before
        // the first lease; the schema is migrated over a connection of its own, which fails
        // fast with the reason when the server cannot be reached.
        let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: logger)
        self.client = client
        let poolTask = Task { await client.run() }
        self.poolTask = poolTask
        do {
            try await Self.migrate(configuration, logger: logger)
        } catch {
            poolTask.cancel()
            throw error
        }
    }

    private static func migrate(_ configuration: PostgresStoreConfiguration, logger: Logger) async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PostgresFailure.storeError(
                error, endpoint: configuration.endpoint,
                doing: "cannot connect to database \(configuration.database) as \(configuration.username)")
        }
        do {
            _ = try await PostgresSchema.migrate(connection, logger: logger)
            try? await connection.close()
        } catch {
            try? await connection.close()
            throw PostgresFailure.storeError(
                error, endpoint: configuration.endpoint, doing: "cannot migrate the schema")
        }
    }

    deinit { poolTask.cancel() }

    /// Closes the pool's connections; the store cannot be used afterwards.
    public func close() async {
        poolTask.cancel()
        await poolTask.value
    }

    /// Applied migration names, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await transaction("read the schema version") { connection in
            try await PostgresSchema.appliedVersions(connection, logger: self.logger).map(\.name)
        }
    }

    // MARK: Claims

    public func claimAlert(worker: String, now: Int64, lockFor: Duration) async throws -> ClaimedAlert? {
        let lockUntil = now + lockFor.totalMilliseconds
        return try await transaction("claim an alert") { connection -> ClaimedAlert? in
            // An expired claim first (its worker died), then the oldest due new alert, as SQLite.
            var claimed = try await self.rows(
                """
                UPDATE alerts SET state = 'processing', claimed_by = \(worker), lock_until = \(lockUntil),
                  claim_token = claim_token + 1
                WHERE id = (SELECT id FROM alerts WHERE state = 'processing' AND lock_until < \(now)
                            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING *
                """, on: connection)
            if claimed.isEmpty {
                claimed = try await self.rows(
                    """
                    UPDATE alerts SET state = 'processing', claimed_by = \(worker), lock_until = \(lockUntil),
                      claim_token = claim_token + 1
                    WHERE id = (SELECT id FROM alerts WHERE state = 'new' AND next_attempt_at <= \(now)
                                ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                    RETURNING *
                    """, on: connection)
            }
            guard let row = claimed.first else { return nil }
            let record = try Self.alertRecord(row)
            let claim = Claim(alertID: record.id, worker: worker, token: try row.value("claim_token"))
            guard let runID = record.runID,
                let runRow = try await self.rows(
                    "SELECT * FROM runs WHERE id = \(runID) AND state = 'running'", on: connection
                ).first
            else { return ClaimedAlert(record: record, claim: claim) }
            let run = try Self.runRow(runRow)
            return ClaimedAlert(
                record: record, claim: claim, interruptedRun: try await self.interruptedRun(run, on: connection))
        }
    }

    public func renewClaims(_ claims: [Claim], now: Int64, lockFor: Duration) async throws -> [Claim] {
        guard !claims.isEmpty else { return [] }
        let lockUntil = now + lockFor.totalMilliseconds
        let renewed = try await statement(
            "renew claims",
            """
            UPDATE alerts SET lock_until = \(lockUntil)
            FROM unnest(\(claims.map(\.alertID))::bigint[], \(claims.map(\.token))::bigint[]) AS held(id, token)
            WHERE alerts.id = held.id AND alerts.claim_token = held.token AND alerts.state = 'processing'
            RETURNING alerts.id
            """)
        let kept = Set(try renewed.map { (row: PostgresRandomAccessRow) -> Int64 in try row.value("id") })
        return claims.filter { !kept.contains($0.alertID) }
    }

    /// Releases nothing: on a shared database another worker id may be a live replica, and a
    /// claim whose lock expired is taken over by the next ``claimAlert(worker:now:lockFor:)``
    /// or ``claimDueTimers(worker:now:lockFor:limit:)`` anyway. The server calls this only
    /// for an exclusive store.
    public func releaseClaims(exceptWorker worker: String) async throws -> Int { 0 }

    private func interruptedRun(_ run: RunRow, on connection: PostgresConnection) async throws -> InterruptedRun {
        var finished: [StepResult] = []
        var interrupted: String?
        for row in try await rows(
            "SELECT step_id, result FROM steps WHERE run_id = \(run.id) ORDER BY seq", on: connection)
        {
            if let text: String = try row.value("result") {
                finished.append(try StoreCoding.decode(StepResult.self, from: text))
            } else {
                interrupted = try row.value("step_id")
            }
        }
        return InterruptedRun(run: run, resumption: RunResumption(finished: finished, interruptedStep: interrupted))
    }

    // MARK: Plumbing

    /// Runs `body` in one transaction; errors become ``StoreError``s naming `action`.
    func transaction<Result: Sendable>(
        _ action: String, _ body: (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw PostgresFailure.storeError(error, endpoint: configuration.endpoint, doing: "cannot \(action)")
        }
    }

    /// Runs one statement on its own (atomic by itself) and returns its rows.
    func statement(_ action: String, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        do {
            return try await client.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
        } catch {
            throw PostgresFailure.storeError(error, endpoint: configuration.endpoint, doing: "cannot \(action)")
        }
    }

    func rows(_ query: PostgresQuery, on connection: PostgresConnection) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    func execute(_ query: PostgresQuery, on connection: PostgresConnection) async throws {
        _ = try await connection.query(query, logger: logger).collect()
    }
}

extension PostgresRandomAccessRow {
    /// The column's value; a type that does not fit (a NULL into a non-optional) throws.
    func value<T: PostgresDecodable>(_ column: String) throws -> T {
        try self[column].decode(T.self)
    }
}
