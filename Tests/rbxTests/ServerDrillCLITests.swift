import Foundation
import Testing

/// `rbx drill --server`: a fire drill through a running `rbx serve` (real processes, real HTTP).
/// Nothing is executed or sent except to a notifier marked `drill: deliver`; the run and its
/// evidence are marked drill; dedup and silences apply as for a real alert; a drill is never
/// on the public status page.
@Suite struct ServerDrillCLITests {
    static let runbook = ServeProcess.runbook(
        "disk", alertname: "DiskFull",
        steps: """
              - id: look
                kind: diagnostic
                run: ["/bin/echo", "looked"]
              - id: tell
                kind: notify
                notify: [pager]
                message: "cleaning {{alert.labels.host}}"
              - id: clean
                kind: remediation
                run: ["/usr/bin/touch", "DIR/cleaned"]
                timeout: 5s
              - id: settle
                kind: wait
                duration: 10m
            """,
        tail: """
            escalation:
              - after: 20m
                notify: [rehearsal]
            """)

    static let notifiers = """
        notifiers:
          pager:
            type: file
            path: DIR/pages.log
          rehearsal:
            type: file
            path: DIR/rehearsal.log
            drill: deliver
        """

    @Test func aDrillTakesTheLiveRouteButExecutesAndSendsNothing() async throws {
        let directory = try ServeProcess.catalog(runbooks: ["disk.yaml": Self.runbook])
        // The helper's rbx.yaml pages through `pager`; this test adds a notifier marked drill: deliver.
        let config = try String(contentsOfFile: directory + "/rbx.yaml", encoding: .utf8)
            .replacingOccurrences(
                of: "notifiers:\n  pager:\n    type: file\n    path: \(directory)/pages.log\n",
                with: Self.notifiers.replacingOccurrences(of: "DIR", with: directory) + "\n")
        try config.write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        let server = ServeProcess(directory: directory)
        try await server.start()
        let alertFile = directory + "/alert.json"
        try #"{"labels": {"alertname": "DiskFull", "host": "db-1", "severity": "critical"}}"#.write(
            toFile: alertFile, atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["RBX_TOKEN"] = ServeProcess.token

        let drill = try await RbxBinary.run(
            ["drill", "--server", server.url, "disk", "--alert", alertFile, "--speed", "300", "--timeout", "60s"],
            environment: environment)
        #expect(drill.status == 0, "\(drill.stdout)\(drill.stderr)")
        #expect(drill.stdout.contains("alert 1 queued"))
        #expect(drill.stdout.contains("started drill run"))
        #expect(drill.stdout.contains("clean ok [assumed]"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/cleaned"), "the remediation did not run")
        #expect(server.lines("pages.log").isEmpty, "a notifier not marked drill: deliver got nothing")

        // The run is a normal run, marked drill, with its evidence; the ladder ran at 300x (20m in 4 s).
        let runs = try await ServeProcess.tool([
            "/usr/bin/curl", "-s", "-H", "Authorization: Bearer \(ServeProcess.token)",
            server.url + "/api/v1/runs",
        ])
        #expect(runs.stdout.contains("\"fingerprint\":\"drill:"))
        #expect(
            await eventually(timeout: .seconds(20)) {
                server.lines("rehearsal.log").contains { $0.contains("[DRILL]") }
            }, "the rung paged the drill notifier, prefixed")
        let evidence = try #require(drill.stdout.split(separator: "\n").first { $0.hasPrefix("evidence: ") })
        let bundle = String(evidence.dropFirst("evidence: ".count).split(separator: " ").first ?? "")
        let runJSON = try String(contentsOfFile: bundle + "/run.json", encoding: .utf8)
        #expect(
            runJSON.contains("\"mode\" : \"drill\"") || runJSON.contains("\"mode\":\"drill\""), "\(runJSON.prefix(300))"
        )

        // Dedup as for a real alert: the same drill again is folded into the first while its run
        // is in hand. At 30x, not 300x: a drill's alert ends by itself after its ladder and an
        // hour (16 s at 300x), which a loaded machine can spend between two commands.
        let pairFile = directory + "/pair.json"
        try #"{"labels": {"alertname": "DiskFull", "host": "db-3", "severity": "critical"}}"#.write(
            toFile: pairFile, atomically: true, encoding: .utf8)
        let pair = ["drill", "--server", server.url, "disk", "--alert", pairFile, "--speed", "30", "--no-wait"]
        let first = try await RbxBinary.run(pair, environment: environment)
        #expect(first.stdout.contains("queued"), "\(first.stdout)\(first.stderr)")
        let again = try await RbxBinary.run(pair, environment: environment)
        #expect(again.stdout.contains("deduplicated"), "\(again.stdout)\(again.stderr)")

        // Silences apply: a silenced drill starts nothing.
        _ = try await server.post(
            "/api/v2/silences",
            json:
                #"{"matchers":[{"name":"host","value":"db-2","isRegex":false}],"startsAt":"2020-01-01T00:00:00Z","endsAt":"2099-01-01T00:00:00Z","createdBy":"t","comment":"c"}"#
        )
        let silencedFile = directory + "/silenced.json"
        try #"{"labels": {"alertname": "DiskFull", "host": "db-2"}}"#.write(
            toFile: silencedFile, atomically: true, encoding: .utf8)
        let silenced = try await RbxBinary.run(
            ["drill", "--server", server.url, "disk", "--alert", silencedFile], environment: environment)
        #expect(silenced.stdout.contains("silenced"), "\(silenced.stdout)\(silenced.stderr)")
        #expect(silenced.stdout.contains("no run starts"))

        // An alert that routes elsewhere is refused: a drill proves this runbook's wiring.
        let otherFile = directory + "/other.json"
        try #"{"labels": {"alertname": "Other"}}"#.write(toFile: otherFile, atomically: true, encoding: .utf8)
        let other = try await RbxBinary.run(
            ["drill", "--server", server.url, "disk", "--alert", otherFile], environment: environment)
        #expect(other.status == 1)
        #expect(other.stderr.contains("would start no runbook"), "\(other.stderr)")

        // The drill alert ends by itself after its ladder (20m + 1h at 300x: 16 s), resolving its run.
        #expect(
            await eventually(timeout: .seconds(40)) {
                let runs = try? await ServeProcess.tool([
                    "/usr/bin/curl", "-s", "-H", "Authorization: Bearer \(ServeProcess.token)",
                    server.url + "/api/v1/runs?state=resolved",
                ])
                return runs?.stdout.contains("\"fingerprint\":\"drill:") == true
            }, "a forgotten drill does not escalate for ever")
        let status = try await ServeProcess.tool(["/usr/bin/curl", "-s", server.url + "/status"])
        #expect(status.stdout.contains("All systems operational"), "a drill is not a public incident")
        #expect(await server.stop() == 0)
    }
}
