import Foundation
import HTTPTypes
import HummingbirdTesting
import RunbookCore
import RunbookStore
import Testing

@testable import RunbookServer

/// Reloading the catalog in process (``CatalogReloader``): what a reload applies, what it keeps
/// until the next start, and schedules a reload adds.
struct ReloadServerTests {
    @Test("settings the server built something from keep their running values, and are named")
    func restartOnlySettingsAreKept() async throws {
        var running = CatalogConfig()
        running.listen = "127.0.0.1:9095"
        running.server.workers = 4
        running.defaults.cooldown = .seconds(60)
        var loaded = running
        loaded.listen = "0.0.0.0:9095"
        loaded.server.workers = 8
        loaded.authTokenFile = "/etc/rbx/token"
        loaded.defaults.cooldown = .seconds(600)
        let differing = RestartOnlySettings.carry(from: running, into: &loaded)
        #expect(differing == ["server.listen", "server (workers, claim_lock, timeouts …)", "auth.token_file"])
        #expect(loaded.listen == "127.0.0.1:9095" && loaded.server.workers == 4 && loaded.authTokenFile == nil)
        #expect(loaded.defaults.cooldown == .seconds(600), "everything else is the reloaded value")
        var same = running
        #expect(RestartOnlySettings.carry(from: running, into: &same).isEmpty)
    }

    @Test("a schedule added by a reload ticks, on the server's clock")
    func aReloadedScheduleTicks() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(runbooks: ["down.yaml": escalatingRunbook(rungs: ["1h"])], clock: clock)
        try await server.withClient { client in
            let check = """
                apiVersion: rbx/v1
                kind: Check
                metadata:
                  name: detector
                schedule: every 1m
                steps:
                  - id: probe
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "echo tick >> \(server.directory)/ticks.log"]

                """
            try check.write(toFile: server.directory + "/runbooks/detector.yaml", atomically: true, encoding: .utf8)
            let answer = try await client.send(.post, "/-/reload")
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.object["generation"] as? Int == 1)
            #expect((answer.object["changes"] as? [String])?.contains { $0.hasPrefix("detector:") } == true)
            // The ticker looks again within 30 s, sees the new schedule, and runs it from its next tick.
            #expect(
                await eventually(timeout: .seconds(30)) {
                    clock.advance(by: .seconds(10))
                    return !server.lines("ticks.log").isEmpty
                })
        }
    }

    @Test("a reload that changes a run's ladder moves its pending rungs to the new times and ends the extra ones")
    func aChangedLadderMovesPendingRungs() async throws {
        let clock = ManualServerClock()
        let server = try await TestServer(
            runbooks: ["down.yaml": escalatingRunbook(rungs: ["10m", "20m"])], clock: clock)
        try await server.withClient { client in
            try await client.send(
                .post, "/api/v2/alerts", json: #"[{"labels":{"alertname":"Down","instance":"web-1"}}]"#)
            #expect(await eventually { server.lines("steps.log") == ["web-1"] })
            let run = try #require(try await server.store.runs(limit: 1, states: nil).first)
            try escalatingRunbook(rungs: ["5m"]).replacingOccurrences(of: "DIR", with: server.directory)
                .write(toFile: server.directory + "/runbooks/down.yaml", atomically: true, encoding: .utf8)
            #expect(try await client.send(.post, "/-/reload").status == .ok)
            let timers = Dictionary(
                uniqueKeysWithValues: try #require(try await server.store.run(id: run.id)).timers.map { ($0.key, $0) })
            #expect(timers["\(run.id)/rung-1/0"]?.dueAt == run.startedAt + 300_000)
            #expect(timers["\(run.id)/rung-1/0"]?.state == .pending)
            #expect(timers["\(run.id)/rung-2/0"]?.state == .cancelled)
            clock.advance(by: .seconds(301))
            let paged = await eventually {
                server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1
            }
            let state = try #require(try await server.store.run(id: run.id)).timers.map {
                "\($0.key) \($0.state) \($0.dueAt - run.startedAt)"
            }
            #expect(paged, "\(state) now \(clock.milliseconds - run.startedAt) pages \(server.lines("pages.log"))")
            clock.advance(by: .seconds(1_200))
            try await Task.sleep(for: .milliseconds(300))
            #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1)
        }
    }
}

/// The digest replicas report (`GET /api/v1/replicas`).
struct CatalogDigestTests {
    @Test("the same files anywhere give the same digest; a changed byte or file changes it; other files do not")
    func digest() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-digest-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let first = root.appendingPathComponent("a")
        try FileManager.default.createDirectory(
            at: first.appendingPathComponent("runbooks/team"), withIntermediateDirectories: true)
        try "apiVersion: rbx/v1\n".write(
            to: first.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        try "x: 1\n".write(
            to: first.appendingPathComponent("runbooks/team/down.yaml"), atomically: true, encoding: .utf8)
        let second = root.appendingPathComponent("b")
        try FileManager.default.copyItem(at: first, to: second)
        let digest = CatalogDigest.of(directory: first.path)
        #expect(digest.count == 64)
        #expect(CatalogDigest.of(directory: second.path) == digest)
        try "notes\n".write(to: second.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        #expect(CatalogDigest.of(directory: second.path) == digest, "not a catalog file")
        try "x: 2\n".write(
            to: second.appendingPathComponent("runbooks/team/down.yaml"), atomically: true, encoding: .utf8)
        #expect(CatalogDigest.of(directory: second.path) != digest)
        try FileManager.default.moveItem(
            at: first.appendingPathComponent("runbooks/team/down.yaml"),
            to: first.appendingPathComponent("runbooks/team/up.yaml"))
        #expect(CatalogDigest.of(directory: first.path) != digest, "a renamed file is a different catalog")
    }
}
