import Foundation
import RunbookTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16, item 1: each replica reloads its own catalog, and `GET /api/v1/replicas` shows
/// every replica's catalog digest, so a rollout that reached one replica and not the other is
/// visible. Two real `rbx serve` processes on one PostgreSQL database, each with its own copy of
/// the catalog.
@Suite struct ServeReplicaReloadTests {
    static let runbook = ServeProcess.runbook(
        "down", alertname: "Down",
        steps: """
              - id: record
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
            """)

    @Test func aReloadOnOneReplicaShowsAsAMixedCatalogUntilTheOtherReloads() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let first = try ServeProcess.replicaCatalog(runbooks: ["down.yaml": Self.runbook])
        // The same bytes in another directory: the same catalog.
        let second = first + "-copy"
        try FileManager.default.copyItem(atPath: first, toPath: second)
        let replicas = [ServeProcess(directory: first), ServeProcess(directory: second)]
        defer { for replica in replicas where replica.pid > 0 { replica.kill9() } }
        for replica in replicas { try await replica.start(environment: ["RBX_DATABASE_URL": database.url]) }

        let start = try await Self.listing(replicas[1])
        #expect(start.mixed == false && start.digests.count == 2 && Set(start.digests).count == 1, "\(start)")

        let edited = Self.runbook.replacingOccurrences(of: "steps.log", with: "steps-v2.log")
        try edited.replacingOccurrences(of: "DIR", with: first)
            .write(toFile: first + "/runbooks/down.yaml", atomically: true, encoding: .utf8)
        replicas[0].send(SIGHUP)
        var rollout = start
        #expect(
            await eventually {
                rollout = (try? await Self.listing(replicas[1])) ?? rollout
                return rollout.mixed
            }, "\(rollout)")
        #expect(Set(rollout.digests).count == 2)
        #expect(rollout.generations.sorted() == [0, 1])

        try edited.replacingOccurrences(of: "DIR", with: first)
            .write(toFile: second + "/runbooks/down.yaml", atomically: true, encoding: .utf8)
        replicas[1].send(SIGHUP)
        var done = rollout
        #expect(
            await eventually {
                done = (try? await Self.listing(replicas[0])) ?? done
                return !done.mixed && done.generations == [1, 1]
            }, "\(done)")
        for replica in replicas { #expect(await replica.stop() == 0) }
    }

    struct Listing: CustomStringConvertible {
        var mixed: Bool
        var digests: [String]
        var generations: [Int]
        var description: String { "mixed \(mixed), digests \(digests), generations \(generations)" }
    }

    static func listing(_ server: ServeProcess) async throws -> Listing {
        let result = try await ServeProcess.tool(
            ["curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)", server.url + "/api/v1/replicas"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
        let replicas = object["replicas"] as? [[String: Any]] ?? []
        return Listing(
            mixed: object["mixed"] as? Bool ?? false,
            digests: replicas.compactMap { $0["catalog_digest"] as? String },
            generations: replicas.compactMap { $0["generation"] as? Int })
    }
}
