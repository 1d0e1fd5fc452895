import Foundation
import Testing

/// `rbx serve` killed (SIGKILL, through `RBX_DEBUG_FAULT`) at each point where a crash could
/// make a remediation run twice, then started again: the non-idempotent step's side effect
/// happens once, whatever the point.
@Suite(.serialized) struct ServeFaultTests {
    /// A remediation that must not run twice, and a rung a second after the alert.
    private static let remediation = ServeProcess.runbook(
        "restart", alertname: "Stuck",
        steps: """
              - id: fix
                kind: remediation
                timeout: 30s
                run: ["/bin/sh", "-c", "echo fix >> DIR/effects.log"]
            """,
        tail: """
            escalation:
              - after: 1s
                notify: [pager]
            """)

    private func runStates(_ server: ServeProcess) async throws -> [String] {
        let listed = try await RbxBinary.runWithToken(["runs", "--server", server.url, "--json"]).stdout
        return listed.matches(of: #/"state" : "([a-z]+)"/#).map { String($0.1) }
    }

    @Test(arguments: ["after-claim", "after-step-exit", "after-run-finished"])
    func aKillAtEachPointLeavesTheRemediationDoneOnce(_ point: String) async throws {
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: ["restart.yaml": Self.remediation]))
        try await server.start(environment: ["RBX_DEBUG_FAULT": point])
        _ = try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"Stuck","instance":"i1"}}]"#)
        #expect(try await server.waitForExit() == 128 + SIGKILL)
        #expect(server.log().contains("reached \(point)"))
        try await server.start()
        // The run ends (open, or failed when the kill cut a non-idempotent step off) ...
        #expect(await eventually { (try? await runStates(server))?.contains { $0 != "running" } ?? false })
        // ... and stays the only one, with the rung it pages.
        try await Task.sleep(for: .seconds(2))
        #expect(try await runStates(server).count == 1)
        #expect(server.lines("effects.log") == ["fix"])
        #expect(await eventually { server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1 })
        await server.stop()
    }

    /// Killed after a page went out but before the rung was recorded as fired: the next start
    /// fires the rung again under the same idempotency key, and the file notifier, which
    /// honours the key, writes it once.
    @Test func aPageDeliveredJustBeforeAKillIsNotDeliveredTwice() async throws {
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: ["restart.yaml": Self.remediation]))
        try await server.start(environment: ["RBX_DEBUG_FAULT": "after-page"])
        _ = try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"Stuck","instance":"i2"}}]"#)
        #expect(try await server.waitForExit() == 128 + SIGKILL)
        #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1)
        try await server.start()
        let id = try #require(
            try await RbxBinary.runWithToken(["runs", "--server", server.url, "--json"]).stdout
                .firstMatch(of: #/"id" : "([0-9a-f-]+)"/#)?.1)
        #expect(
            await eventually {
                let detail = try? await ServeProcess.tool([
                    "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)",
                    "\(server.url)/api/v1/runs/\(id)",
                ])
                return detail?.stdout.contains("\"fired\"") ?? false
            })
        #expect(server.lines("pages.log").filter { $0.hasPrefix("--- escalation") }.count == 1)
        #expect(server.lines("effects.log") == ["fix"])
        await server.stop()
    }
}

/// The wall clock set forward under a running `rbx serve` (libfaketime, preloaded, moves
/// `CLOCK_REALTIME` and nothing else): leases keep rbx's monotonic time, so the process does
/// not take its own live run over. (A backward jump is covered by `ServerClockTests`:
/// libfaketime also moves the deadlines of monotonic waits back, which no real jump does.)
@Suite(.serialized) struct ServeClockJumpTests {
    private static let library = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"

    /// Environment that makes the server's wall clock read `offset` (e.g. "+0", "+2h") from a
    /// file the test rewrites to jump it.
    private func fakeTime(_ file: String) -> [String: String] {
        [
            "LD_PRELOAD": Self.library, "FAKETIME_TIMESTAMP_FILE": file, "FAKETIME_NO_CACHE": "1",
            "DONT_FAKE_MONOTONIC": "1",
        ]
    }

    @Test func aForwardJumpDoesNotMakeTheServerTakeItsOwnRunOver() async throws {
        try #require(
            FileManager.default.fileExists(atPath: Self.library),
            "libfaketime is missing: scripts/install-deps --test installs it")
        let runbook = ServeProcess.runbook(
            "slow", alertname: "Slow",
            steps: """
                  - id: look
                    kind: diagnostic
                    idempotent: true
                    timeout: 30s
                    run: ["/bin/sh", "-c", "echo look >> DIR/effects.log; sleep 8"]
                  - id: fix
                    kind: remediation
                    timeout: 30s
                    run: ["/bin/sh", "-c", "echo fix >> DIR/effects.log"]
                """)
        let directory = try ServeProcess.catalog(runbooks: ["slow.yaml": runbook])
        let offset = directory + "/faketime"
        try "+0\n".write(toFile: offset, atomically: true, encoding: .utf8)
        let server = ServeProcess(directory: directory)
        try await server.start(environment: fakeTime(offset))
        _ = try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"Slow"}}]"#)
        #expect(await eventually(timeout: .seconds(30)) { server.lines("effects.log").contains("look") })
        // Two hours forward, far past claim_lock (5 s): the idle workers poll every second.
        try "+2h\n".write(toFile: offset, atomically: true, encoding: .utf8)
        #expect(await eventually(timeout: .seconds(30)) { server.lines("effects.log").contains("fix") })
        try await Task.sleep(for: .seconds(3))
        #expect(server.lines("effects.log") == ["look", "fix"])
        await server.stop()
        #expect(server.log().contains("the wall clock was set"))
    }
}

/// An Alertmanager alert whose `endsAt` passes with no newer notification resolves its run, as in
/// Alertmanager, even when the moment passed while rbx was down.
@Suite struct ServeExpiryTests {
    @Test func anAlertWhoseEndsAtPassedWhileRbxWasDownIsResolvedAtTheNextStart() async throws {
        let runbook = ServeProcess.runbook(
            "down", alertname: "Down",
            steps: """
                  - id: look
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "echo look >> DIR/steps.log"]
                """,
            tail: """
                escalation:
                  - after: 1h
                    notify: [pager]
                """)
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: ["down.yaml": runbook]))
        try await server.start()
        let endsAt = Date(timeIntervalSinceNow: 3).formatted(.iso8601)
        _ = try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"Down"},"endsAt":"\#(endsAt)"}]"#)
        #expect(await eventually { server.lines("steps.log") == ["look"] })
        server.kill9()
        try await Task.sleep(for: .seconds(4))
        try await server.start()
        #expect(
            await eventually {
                let listed = try? await RbxBinary.runWithToken([
                    "runs", "--server", server.url, "--state", "resolved", "--json",
                ])
                return listed?.stdout.contains("\"resolved\"") ?? false
            })
        #expect(server.lines("steps.log") == ["look"])
        await server.stop()
    }
}

/// The evidence bundle `rbx serve` writes is the one a drill writes: the alert as posted, byte for
/// byte, every page the scheduler fired while the steps ran, and a manifest whose digest the API
/// returns and `rbx evidence verify` checks.
@Suite struct ServeEvidenceTests {
    @Test func aServerRunsBundleHoldsTheAlertAsPostedItsPagesAndTheDigestTheAPIReturns() async throws {
        let runbook = ServeProcess.runbook(
            "slow", alertname: "Slow",
            steps: """
                  - id: look
                    kind: diagnostic
                    timeout: 30s
                    run: ["/bin/sh", "-c", "sleep 3; echo looked"]
                """,
            tail: """
                escalation:
                  - after: 1s
                    notify: [pager]
                """)
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: ["slow.yaml": runbook]))
        try await server.start()
        let posted = #"{"labels": {"alertname":"Slow" ,  "instance":"e1"}, "annotations":{"summary":"disk \u00e9"} }"#
        _ = try await server.post("/api/v2/alerts", json: "[ \(posted)\n]")
        var detail: [String: Any] = [:]
        #expect(
            await eventually {
                guard
                    let id = try? await RbxBinary.runWithToken(["runs", "--server", server.url, "--json"]).stdout
                        .firstMatch(of: #/"id" : "([0-9a-f-]+)"/#)?.1,
                    let reply = try? await ServeProcess.tool([
                        "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)",
                        "\(server.url)/api/v1/runs/\(id)",
                    ]),
                    let object = try? JSONSerialization.jsonObject(with: Data(reply.stdout.utf8)) as? [String: Any]
                else { return false }
                detail = object
                return object["evidence_manifest_digest"] != nil
            })
        let bundle = try #require(detail["evidence"] as? String)
        let digest = try #require(detail["evidence_manifest_digest"] as? String)
        let verified = try await RbxBinary.run(["evidence", "verify", bundle, "--manifest-digest", digest])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(
            try await RbxBinary.run([
                "evidence", "verify", bundle, "--manifest-digest", String(repeating: "0", count: 64),
            ]).status != 0)
        let alert = try #require(FileManager.default.contents(atPath: bundle + "/alert.json"))
        #expect(String(decoding: alert, as: UTF8.self) == posted)
        let notifications = try FileManager.default.contentsOfDirectory(atPath: bundle + "/notifications")
        #expect(notifications.contains { $0.hasSuffix("-pager.json") })
        let timeline = try String(contentsOfFile: bundle + "/timeline.md", encoding: .utf8)
        #expect(timeline.contains("paged pager"))
        await server.stop()
    }
}
