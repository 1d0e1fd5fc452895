import Logging
import RunbookStore
import ServiceLifecycle

/// Records in the store, every ``interval`` and after each reload, that this process is alive
/// and which catalog it serves, for `GET /api/v1/replicas`: with several replicas on one
/// PostgreSQL database, a reload that reached some of them shows as different digests.
struct ReplicaHeartbeat: Service, CustomStringConvertible {
    var dependencies: ServerDependencies

    static let interval = Duration.seconds(15)
    /// A replica not seen for this long is listed as stale (three missed beats).
    static let staleAfter = Duration.seconds(45)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await Self.beat(dependencies)
                try await dependencies.clock.sleep(for: Self.interval)
            }
        }
    }

    /// One record of this process; a store error is logged and the next beat tries again.
    static func beat(_ dependencies: ServerDependencies) async {
        let version = dependencies.live.version
        let record = ReplicaRecord(
            worker: dependencies.workerID, catalogDigest: version.digest, generation: version.generation,
            startedAt: dependencies.startedAt, seenAt: dependencies.clock.milliseconds)
        do {
            try await dependencies.store.recordReplica(record)
        } catch {
            dependencies.logger.warning(
                "could not record this replica in the store; the next beat tries again",
                metadata: ["error": .string("\(error)")])
        }
    }

    var description: String { "ReplicaHeartbeat" }
}
