import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 16, item 1: `rbx serve` loads its catalog again on SIGHUP and `POST /-/reload`, as
/// Prometheus and Alertmanager do. A real server process, its catalog files edited on disk.
@Suite struct ServeReloadTests {
    /// `down` waits in its first step until the test creates `DIR/go-INSTANCE`, then records
    /// which version of the runbook ran its second step; its one rung pages after 1 minute.
    static func down(version: String) -> String {
        ServeProcess.runbook(
            "down", alertname: "Down",
            steps: """
                  - id: wait
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "while [ ! -e DIR/go-$1 ]; do sleep 0.05; done", "sh", "{{alert.labels.instance}}"]
                  - id: record
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "echo \\"$1 \(version)\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
                """,
            tail: "escalation:\n  - after: 1m\n    notify: [pager]")
    }

    static let disk = ServeProcess.runbook(
        "disk", alertname: "DiskFull",
        steps: """
              - id: record
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo \\"$1 disk\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
            """)

    @Test func sighupAndTheAPIReloadAGoodCatalogAndRefuseABrokenOne() async throws {
        let directory = try ServeProcess.catalog(runbooks: ["down.yaml": Self.down(version: "v1")])
        let server = ServeProcess(directory: directory)
        defer { if server.pid > 0 { server.kill9() } }
        try await server.start(logLevel: "info")
        #expect(try await server.post("/api/v2/alerts", json: Self.alert("Down", "web-1")).stdout == "200")
        let run = try await Self.onlyRun(server)
        let dueBefore = try await Self.rungDue(server, run: run)

        // Mid-run and mid-ladder: a new version of down, and a new runbook.
        try Self.write(Self.down(version: "v2"), as: "down.yaml", in: directory)
        try Self.write(Self.disk, as: "disk.yaml", in: directory)
        server.send(SIGHUP)
        #expect(await eventually { server.log().contains("catalog reloaded") }, "\(server.log())")
        #expect(server.log().contains("runbook=disk"), "the change to the catalog is logged: \(server.log())")
        FileManager.default.createFile(atPath: directory + "/go-web-1", contents: nil)
        #expect(await eventually { server.lines("steps.log").contains("web-1 v1") }, "\(server.lines("steps.log"))")
        // The pending rung keeps its time: the ladder did not change.
        #expect(try await Self.rungDue(server, run: run) == dueBefore)

        // New alerts get the new catalog.
        FileManager.default.createFile(atPath: directory + "/go-web-2", contents: nil)
        _ = try await server.post("/api/v2/alerts", json: Self.alert("Down", "web-2"))
        _ = try await server.post("/api/v2/alerts", json: Self.alert("DiskFull", "db-1"))
        #expect(
            await eventually { Set(server.lines("steps.log")).isSuperset(of: ["web-2 v2", "db-1 disk"]) },
            "\(server.lines("steps.log"))")
        #expect(try await Self.metric("rbx_config_last_reload_successful", server) == "1.0")

        // A broken catalog is refused, says where, and the running one keeps serving.
        try Self.write(
            "apiVersion: rbx/v1\nkind: Runbook\nmetadata:\n  name: broken\nsteps: 7\n", as: "broken.yaml", in: directory
        )
        server.send(SIGHUP)
        #expect(await eventually { server.log().contains("catalog reload refused") })
        #expect(server.log().contains("broken.yaml:"), "the refusal names the file: \(server.log())")
        #expect(try await Self.metric("rbx_config_last_reload_successful", server) == "0.0")
        FileManager.default.createFile(atPath: directory + "/go-web-3", contents: nil)
        _ = try await server.post("/api/v2/alerts", json: Self.alert("Down", "web-3"))
        #expect(await eventually { server.lines("steps.log").contains("web-3 v2") }, "\(server.lines("steps.log"))")

        // The API: the token first, then the same refusal, then a reload once it is fixed.
        let anonymous = try await ServeProcess.tool(
            ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", server.url + "/-/reload"])
        #expect(anonymous.stdout == "401")
        let refused = try await Self.reload(server)
        #expect(refused.status == "422" && refused.body.contains("broken.yaml:"), "\(refused)")
        try FileManager.default.removeItem(atPath: directory + "/runbooks/broken.yaml")
        let config = try String(contentsOfFile: directory + "/rbx.yaml", encoding: .utf8)
        try config.replacingOccurrences(of: "claim_lock: 5s", with: "claim_lock: 9s")
            .write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        let reloaded = try await Self.reload(server)
        #expect(reloaded.status == "200", "\(reloaded)")
        let answer = try JSONSerialization.jsonObject(with: Data(reloaded.body.utf8)) as? [String: Any] ?? [:]
        #expect(answer["generation"] as? Int == 2)
        #expect((answer["restart_needed"] as? [String])?.contains { $0.hasPrefix("server") } == true, "\(answer)")
        #expect(server.log().contains("take effect only at the next start"))
        #expect(try await Self.metric("rbx_config_last_reload_successful", server) == "1.0")
        // Refused twice: the SIGHUP and the first API call.
        #expect(try await Self.metric("rbx_config_reloads_total{outcome=\"failure\"}", server) == "2")
        #expect(await server.stop() == 0)
    }

    static func alert(_ name: String, _ instance: String) -> String {
        #"[{"labels":{"alertname":"\#(name)","instance":"\#(instance)"}}]"#
    }

    static func write(_ text: String, as name: String, in directory: String) throws {
        try text.replacingOccurrences(of: "DIR", with: directory)
            .write(toFile: "\(directory)/runbooks/\(name)", atomically: true, encoding: .utf8)
    }

    /// The id of the server's only run, once it has one.
    static func onlyRun(_ server: ServeProcess) async throws -> String {
        var id = ""
        #expect(
            await eventually {
                let runs = try? await Self.json(server, "/api/v1/runs") as? [[String: Any]]
                id = runs?.first?["id"] as? String ?? ""
                return !id.isEmpty
            })
        return id
    }

    /// When the run's first escalation rung is due.
    static func rungDue(_ server: ServeProcess, run: String) async throws -> String {
        let detail = try await Self.json(server, "/api/v1/runs/\(run)") as? [String: Any] ?? [:]
        let timers = detail["timers"] as? [[String: Any]] ?? []
        return timers.first { $0["kind"] as? String == "escalation" }?["due_at"] as? String ?? "none"
    }

    static func json(_ server: ServeProcess, _ path: String) async throws -> Any {
        let result = try await ServeProcess.tool(
            ["curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)", server.url + path])
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    static func reload(_ server: ServeProcess) async throws -> AlertmanagerParityTests.Answer {
        let file = server.directory + "/reload-answer.json"
        let result = try await ServeProcess.tool([
            "curl", "-sS", "-o", file, "-w", "%{http_code}", "-X", "POST",
            "-H", "Authorization: Bearer \(ServeProcess.token)", server.url + "/-/reload",
        ])
        return .init(status: result.stdout, body: (try? String(contentsOfFile: file, encoding: .utf8)) ?? "")
    }

    /// A sample's value in `/metrics` (`NAME` or `NAME{labels}` as exposed).
    static func metric(_ name: String, _ server: ServeProcess) async throws -> String? {
        let text = try await ServeProcess.tool(["curl", "-sS", server.url + "/metrics"]).stdout
        return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.map {
            String($0.dropFirst(name.count + 1))
        }
    }
}
