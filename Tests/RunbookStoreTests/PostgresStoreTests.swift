import Foundation
import PostgresNIO
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@testable import RunbookStore

/// What only a store shared by replicas has to get right: migrations raced by several
/// openers, and claims raced by several processes on one database.
@Suite struct PostgresStoreTests {
    @Test func threeStoresOpenedAtOnceMigrateOnce() async throws {
        let database = try await freshPostgresDatabase()
        let stores = try await withThrowingTaskGroup(of: PostgresStateStore.self) { group in
            for _ in 0..<3 { group.addTask { try await PostgresStateStore(configuration: database) } }
            return try await group.reduce(into: [PostgresStateStore]()) { $0.append($1) }
        }
        for store in stores {
            #expect(try await store.appliedMigrations() == PostgresSchema.migrations.map(\.name))
        }
        let rows = try await stores[0].statement("count migrations", "SELECT COUNT(*) AS n FROM schema_migrations")
        #expect(try rows.first?.value("n") == PostgresSchema.migrations.count)
        let reopened = try await PostgresStateStore(configuration: database)
        #expect(try await reopened.appliedMigrations().count == PostgresSchema.migrations.count)
        for store in stores + [reopened] { await store.close() }
    }

    @Test func twoStoresOnOneDatabaseNeverClaimTheSameAlertOrTimer() async throws {
        let database = try await freshPostgresDatabase()
        let first = try await PostgresStateStore(configuration: database)
        let second = try await PostgresStateStore(configuration: database)
        let alerts = (0..<40).map { alert("Load", labels: ["n": "\($0)"]) }
        let ids = try await first.ingest(alerts, now: 0, dedupWindow: minute).compactMap(\.alertID)
        let ladder = (0..<3).map {
            RunTimer.Scheduled(due: .seconds(60 * ($0 + 1)), timer: .escalation(rung: $0, repetition: 0))
        }
        // Started by a worker that died at once: its claims expire long before the workers below look.
        let starter = try await claimEverything(first, worker: "starter")
        for (index, id) in ids.enumerated() {
            _ = try await first.startRun(
                runStart("r\(index)", alertID: id, timers: ladder), claim: try #require(starter[id]), now: 0)
        }
        // Four workers per replica, each claiming until nothing is left.
        let (claimedAlerts, claimedTimers) = try await withThrowingTaskGroup(of: ([Int64], [Int64]).self) { group in
            for (replica, store) in [first, second].enumerated() {
                for worker in 0..<4 {
                    group.addTask {
                        let name = "replica\(replica)/w\(worker)"
                        var alertIDs: [Int64] = []
                        var timerIDs: [Int64] = []
                        while true {
                            let alert = try await store.claimAlert(worker: name, now: 1_000_000, lockFor: minute)
                            let timers = try await store.claimDueTimers(
                                worker: name, now: 1_000_000, lockFor: minute, limit: 3)
                            if alert == nil && timers.isEmpty { break }
                            alertIDs += alert.map { [$0.record.id] } ?? []
                            timerIDs += timers.map(\.id)
                        }
                        return (alertIDs, timerIDs)
                    }
                }
            }
            return try await group.reduce(into: ([Int64](), [Int64]())) {
                $0.0 += $1.0
                $0.1 += $1.1
            }
        }
        #expect(claimedAlerts.count == 40)
        #expect(Set(claimedAlerts).count == 40)
        #expect(claimedTimers.count == 120)
        #expect(Set(claimedTimers).count == 120)
        await first.close()
        await second.close()
    }

    @Test func twoStoresStartingRunsForOneKeyAtOnceStartOne() async throws {
        let database = try await freshPostgresDatabase()
        let first = try await PostgresStateStore(configuration: database)
        let second = try await PostgresStateStore(configuration: database)
        let ids = try await first.ingest(
            (0..<10).map { alert("Key", labels: ["n": "\($0)"]) }, now: 0, dedupWindow: minute
        )
        .compactMap(\.alertID)
        let claims = try await claimEverything(first)
        let outcomes = try await withThrowingTaskGroup(of: RunStartOutcome.self) { group in
            for (index, id) in ids.enumerated() {
                let store = index.isMultiple(of: 2) ? first : second
                let claim = try #require(claims[id])
                group.addTask {
                    try await store.startRun(runStart("k\(index)", alertID: id, key: "host-a"), claim: claim, now: 0)
                }
            }
            return try await group.reduce(into: [RunStartOutcome]()) { $0.append($1) }
        }
        let started = outcomes.filter { if case .started = $0 { true } else { false } }
        #expect(started.count == 1)
        #expect(outcomes.filter { if case .busy(key: "host-a", _) = $0 { true } else { false } }.count == 9)
        await first.close()
        await second.close()
    }

    @Test func anUnreachableServerIsNamedInTheError() async throws {
        let nowhere = PostgresStoreConfiguration(
            host: "127.0.0.1", port: 1, username: "rbx", database: "rbx", sslMode: .disable)
        let error = await #expect(throws: StoreError.self) { try await PostgresStateStore(configuration: nowhere) }
        #expect(error?.message.hasPrefix("PostgreSQL at 127.0.0.1:1: cannot connect to database rbx as rbx: ") == true)
    }
}
