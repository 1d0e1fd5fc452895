import Foundation
import Testing

/// Clients of `rbx serve` that are not rbx's own tests: amtool (from Debian's
/// prometheus-alertmanager) and the rbx CLI, against a real server process.
@Suite struct ServeClientTests {
    private static let runbook = ServeProcess.runbook(
        "down", alertname: "Down",
        steps: """
              - id: record
                kind: diagnostic
                run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
            """,
        tail: "escalation:\n  - after: 1h\n    notify: [pager]")

    @Test func amtoolAddsAlertsAndManagesSilences() async throws {
        let directory = try ServeProcess.catalog(runbooks: ["down.yaml": Self.runbook])
        let server = ServeProcess(directory: directory)
        try await server.start()
        let httpConfig = directory + "/amtool-http.yml"
        try "authorization:\n  type: Bearer\n  credentials: \(ServeProcess.token)\n".write(
            toFile: httpConfig, atomically: true, encoding: .utf8)
        let amtool = ["amtool", "--alertmanager.url=\(server.url)", "--http.config.file=\(httpConfig)"]
        let silence = try await ServeProcess.tool(
            amtool + ["silence", "add", "instance=db-1", "--comment=maintenance", "--author=ops"])
        #expect(silence.status == 0, "\(silence.stderr)")
        let silenceID = silence.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(silenceID.count == 36)
        #expect(try await ServeProcess.tool(amtool + ["alert", "add", "alertname=Down", "instance=db-1"]).status == 0)
        #expect(
            try await ServeProcess.tool(
                amtool + ["alert", "add", "alertname=Down", "instance=web-1", "--annotation=summary=hi"]
            ).status == 0)
        #expect(await eventually { server.lines("steps.log") == ["web-1"] })
        let query = try await ServeProcess.tool(amtool + ["alert", "query", "-o", "json"])
        #expect(query.status == 0)
        #expect(query.stdout.contains("web-1") && !query.stdout.contains("db-1"))
        let filtered = try await ServeProcess.tool(
            amtool + ["alert", "query", "-o", "json", "instance=~\"db-.*|nothing\""])
        #expect(filtered.status == 0)
        #expect(!filtered.stdout.contains("web-1"))
        let silenced = try await ServeProcess.tool(amtool + ["alert", "query", "--silenced", "-o", "json"])
        #expect(silenced.stdout.contains("db-1"))
        let silences = try await ServeProcess.tool(amtool + ["silence", "query", "-q"])
        #expect(silences.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == silenceID)
        #expect(try await ServeProcess.tool(amtool + ["silence", "expire", silenceID]).status == 0)
        #expect(
            try await ServeProcess.tool(amtool + ["silence", "query", "-q"]).stdout.trimmingCharacters(
                in: .whitespacesAndNewlines
            ).isEmpty)
        // Silenced at arrival, the db-1 alert never ran.
        #expect(server.lines("steps.log") == ["web-1"])
        await server.stop()
    }

    @Test func theCLIListsAcknowledgesAndResolvesRuns() async throws {
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: ["down.yaml": Self.runbook]))
        try await server.start()
        _ = try await server.post("/api/v1/alerts", json: #"{"name":"Down","labels":{"instance":"cli-1"}}"#)
        #expect(await eventually { server.lines("steps.log") == ["cli-1"] })
        var listing = RbxBinary.Result(stdout: "", stderr: "", status: -1)
        #expect(
            await eventually {
                listing =
                    (try? await RbxBinary.runWithToken(["runs", "--server", server.url, "--state", "open"])) ?? listing
                return listing.stdout.contains(" open ")
            })
        let id = try #require(listing.stdout.firstMatch(of: #/\n([0-9a-f-]{36}) /#)?.1)
        let ack = try await RbxBinary.runWithToken(["ack", String(id), "--note", "on it", "--server", server.url])
        #expect(ack.status == 0)
        #expect(ack.stdout == "run \(id): ack accepted; state acked\n")
        let resolve = try await RbxBinary.runWithToken(["resolve", String(id), "--server", server.url])
        #expect(resolve.stdout == "run \(id): resolve accepted; state resolved\n")
        let missing = try await RbxBinary.runWithToken(["ack", "no-such-run", "--server", server.url])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no run no-such-run"))
        let noToken = try await RbxBinary.run(["runs", "--server", server.url], environment: ["PATH": "/usr/bin:/bin"])
        #expect(noToken.status == 2)
        await server.stop()
    }

    /// `rbx approve` with named tokens against a real server: too early is refused and the
    /// gate still waits; someone not listed gets 403; a listed approver's decision runs the step.
    @Test func approvalsAreTakenFromListedApproversOnlyWhileTheStepWaits() async throws {
        let runbook = ServeProcess.runbook(
            "purge", alertname: "Full",
            steps: """
                  - id: look
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "while [ ! -f DIR/go ]; do sleep 0.05; done; echo looked >> DIR/steps.log"]
                  - id: gate
                    kind: approval
                    approvers: [team-lead]
                    timeout: 60s
                  - id: purge
                    kind: remediation
                    timeout: 10s
                    run: ["/bin/sh", "-c", "echo purged >> DIR/steps.log"]
                """)
        let tokens = """
            auth:
              tokens:
                - {name: ana, token: "${ANA_TOKEN}", as: [team-lead]}
                - {name: eve, token: "${EVE_TOKEN}"}
            """
        let directory = try ServeProcess.catalog(runbooks: ["purge.yaml": runbook], config: tokens)
        let server = ServeProcess(directory: directory)
        try await server.start(environment: ["ANA_TOKEN": "ana-secret-1", "EVE_TOKEN": "eve-secret-2"])
        _ = try await server.post("/api/v1/alerts", json: #"{"name":"Full"}"#)
        var listing = RbxBinary.Result(stdout: "", stderr: "", status: -1)
        #expect(
            await eventually {
                listing = (try? await RbxBinary.runWithToken(["runs", "--server", server.url])) ?? listing
                return listing.stdout.contains(" running ")
            })
        let id = String(try #require(listing.stdout.firstMatch(of: #/\n([0-9a-f-]{36}) /#)?.1))
        func approve(as token: String) async throws -> RbxBinary.Result {
            try await ServeProcess.tool(
                [
                    "/usr/bin/env", "RBX_TOKEN=\(token)", RbxBinary.path, "approve", id, "--step", "gate", "--server",
                    server.url,
                ])
        }
        let early = try await approve(as: "ana-secret-1")
        #expect(early.status == 1)
        #expect(early.stderr.contains("(HTTP 409)"), "\(early.stderr)")
        FileManager.default.createFile(atPath: directory + "/go", contents: Data())
        #expect(await eventually { server.lines("steps.log") == ["looked"] })
        #expect(
            await eventually {
                let detail = try? await ServeProcess.tool(
                    [
                        "curl", "-sS", "-H", "Authorization: Bearer \(ServeProcess.token)",
                        "\(server.url)/api/v1/runs/\(id)",
                    ])
                return detail?.stdout.contains(#""waiting_for":"gate""#) ?? false
            })
        #expect(server.lines("steps.log") == ["looked"])
        let stranger = try await approve(as: "eve-secret-2")
        #expect(stranger.status == 1)
        #expect(stranger.stderr.contains("eve may not decide step \"gate\"; its approvers are team-lead (HTTP 403)"))
        let approved = try await approve(as: "ana-secret-1")
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(await eventually { server.lines("steps.log") == ["looked", "purged"] })
        await server.stop()
    }
}
