import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookTesting
import Testing

@testable import RunbookStore

/// The store implementations every store test runs against, so they cannot drift apart.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }
}

/// A fresh, empty store: a SQLite file in its own directory, or a new PostgreSQL database.
func makeStore(_ backend: StoreBackend) async throws -> any StateStore {
    switch backend {
    case .sqlite: try makeSQLiteStore().0
    case .postgres: try await PostgresStateStore(configuration: try await freshPostgresDatabase())
    }
}

/// The stores that race in a test of exactly-once: one SQLite store (one process owns a SQLite
/// file, under an exclusive lock, so its writers are what race), or two PostgreSQL stores on one
/// database, as two replicas are.
func racingStores(_ backend: StoreBackend) async throws -> [any StateStore] {
    switch backend {
    case .sqlite:
        return [try await makeStore(.sqlite)]
    case .postgres:
        let database = try await freshPostgresDatabase()
        return [
            try await PostgresStateStore(configuration: database),
            try await PostgresStateStore(configuration: database),
        ]
    }
}

/// A new empty database on the test PostgreSQL server (``PostgresTestCluster``), as the
/// store's configuration, with a small pool: many tests run at once on one server.
func freshPostgresDatabase() async throws -> PostgresStoreConfiguration {
    let database = try await PostgresTestCluster.freshDatabase()
    var configuration = try PostgresStoreConfiguration(url: database.url, allowsPassword: true)
        .withPassword(from: ProcessInfo.processInfo.environment)
    configuration.poolSize = 4
    return configuration
}

/// A fresh SQLite store in its own temporary directory, and its path.
func makeSQLiteStore() throws -> (SQLiteStateStore, String) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let path = directory + "/state.sqlite"
    return (try SQLiteStateStore(path: path), path)
}

func alert(_ name: String, labels: [String: String] = [:], status: Alert.Status = .firing) -> Alert {
    var all = labels
    all["alertname"] = name
    return Alert(
        fingerprint: AlertFingerprint.of(all), name: name, source: "test", severity: "P2", rawSeverity: "P2",
        status: status, labels: all)
}

func runStart(
    _ id: String, alertID: Int64, runbook: String = "rb", fingerprint: String = "f", key: String? = nil,
    cooldown: Duration = .zero,
    timers: [RunTimer.Scheduled] = []
) -> RunStart {
    RunStart(
        id: id, alertID: alertID, runbook: runbook, fingerprint: fingerprint, concurrencyKey: key, cooldown: cooldown,
        timers: timers)
}

let minute = Duration.seconds(60)

/// Claims every due alert, as one worker would one after the other; the claims by alert id.
func claimEverything(_ store: any StateStore, worker: String = "w", now: Int64 = 0) async throws -> [Int64: Claim] {
    var claims: [Int64: Claim] = [:]
    while let claimed = try await store.claimAlert(worker: worker, now: now, lockFor: minute) {
        claims[claimed.record.id] = claimed.claim
    }
    return claims
}
