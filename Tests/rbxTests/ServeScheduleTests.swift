import Foundation
import RunbookCore
import RunbookTesting
import Testing

/// Scheduled checks under `rbx serve`: each tick runs once, across a restart (missed ticks
/// coalesce into one run) and across two replicas on one PostgreSQL; a check's `raise:` goes
/// through intake, so a problem raised on every tick starts its runbook once.
@Suite(.serialized) struct ServeScheduleTests {
    static let check = """
        apiVersion: rbx/v1
        kind: Check
        metadata:
          name: detector
        schedule: every 1s
        steps:
          - id: probe
            kind: diagnostic
            run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/ticks.log", "sh", "{{alert.startsAt}}"]
          - id: page
            kind: raise
            raise:
              alertname: QueueDeep
              severity: P2
              labels: {queue: emails}

        """

    static let handler = ServeProcess.runbook(
        "queue-deep", alertname: "QueueDeep",
        steps: """
              - id: look
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/handled.log", "sh", "{{alert.labels.queue}}"]
            """)

    /// The tick instants the check's runs recorded, in seconds since the epoch.
    static func ticks(_ server: ServeProcess) -> [Double] {
        server.lines("ticks.log").compactMap { RFC3339.secondsSinceEpoch($0) }
    }

    @Test func ticksRunOnceRaiseOnceAndCoalesceAcrossARestart() async throws {
        // A catalog cooldown longer than the schedule: ticks are not repeats of an alert.
        let directory = try ServeProcess.catalog(
            runbooks: ["detector.yaml": Self.check, "queue-deep.yaml": Self.handler],
            config: "defaults:\n  cooldown: 15m")
        let server = ServeProcess(directory: directory)
        defer { if server.pid > 0 { server.kill9() } }
        try await server.start()
        #expect(await eventually(timeout: .seconds(30)) { Self.ticks(server).count >= 3 }, "\(server.log())")
        let runs = try await RbxBinary.run(
            ["runs", "--server", server.url, "--json", "--limit", "50"],
            environment: ["RBX_TOKEN": ServeProcess.token, "PATH": "/usr/bin:/bin"])
        #expect(runs.status == 0, "\(runs.stderr)")
        let listed = try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]] ?? []
        let detector = listed.filter { $0["runbook"] as? String == "detector" }
        #expect(detector.count >= 3, "\(runs.stdout)")
        // Every tick's run completed, but the one a tick may have started while the list was read.
        let unfinished = detector.filter { $0["state"] as? String != "completed" }
        #expect(
            unfinished.count <= 1 && unfinished.allSatisfy { $0["state"] as? String == "running" }, "\(runs.stdout)")
        #expect(await server.stop() == 0)
        let before = Self.ticks(server)

        // Down for four ticks, then up: the latest tick runs once, the missed ones not at all.
        try await Task.sleep(for: .seconds(4))
        try await server.start()
        #expect(await eventually(timeout: .seconds(30)) { Self.ticks(server).count >= before.count + 2 })
        #expect(await server.stop() == 0)
        let all = Self.ticks(server)
        #expect(Set(all).count == all.count, "a tick ran twice: \(all)")
        #expect(all == all.sorted(), "\(all)")
        let afterRestart = all[before.count]
        #expect(afterRestart - before[before.count - 1] >= 4, "missed ticks were replayed: \(all)")
        // Raised on every tick, deduplicated while its run is open: the handler ran once.
        #expect(server.lines("handled.log") == ["emails"], "\(server.lines("handled.log"))")
    }

    @Test func twoReplicasOnOnePostgresRunEachTickOnce() async throws {
        let database = try await PostgresTestCluster.freshDatabase()
        let directory = try ServeProcess.replicaCatalog(
            runbooks: ["detector.yaml": Self.check, "queue-deep.yaml": Self.handler])
        let replicas = try await ServeProcess.startReplicas(2, catalog: directory, database: database)
        defer { for replica in replicas where replica.pid > 0 { replica.kill9() } }
        #expect(await eventually(timeout: .seconds(40)) { Self.ticks(replicas[0]).count >= 5 })
        for replica in replicas { #expect(await replica.stop() == 0) }
        let all = Self.ticks(replicas[0])
        #expect(Set(all).count == all.count, "a tick ran on both replicas: \(all)")
        #expect(replicas[0].lines("handled.log") == ["emails"], "\(replicas[0].lines("handled.log"))")
    }
}
