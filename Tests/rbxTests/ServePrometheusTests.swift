import Foundation
import Testing

/// A real Prometheus (Debian's `prometheus` package) with rbx listed as its alertmanager.
@Suite struct ServePrometheusTests {
    @Test func prometheusSendsItsFiringAlertToRbxAndTheRunbookRuns() async throws {
        let runbook = ServeProcess.runbook(
            "always", alertname: "AlwaysFiring",
            steps: """
                  - id: record
                    kind: diagnostic
                    run: ["/bin/sh", "-c", "echo \\"$1 $2\\" >> DIR/steps.log", "sh", "{{alert.labels.team}}", "{{alert.annotations.summary}}"]
                """,
            match: "  severity: P1\n")
        let directory = try ServeProcess.catalog(runbooks: ["always.yaml": runbook])
        let server = ServeProcess(directory: directory)
        try await server.start()
        try """
        groups:
          - name: g
            rules:
              - alert: AlwaysFiring
                expr: vector(1)
                labels: {severity: critical, team: ops}
                annotations: {summary: "value {{ $value }}"}
        """.write(toFile: directory + "/rules.yml", atomically: true, encoding: .utf8)
        try """
        global:
          evaluation_interval: 1s
        rule_files: [\(directory)/rules.yml]
        alerting:
          alertmanagers:
            - api_version: v2
              authorization:
                type: Bearer
                credentials: \(ServeProcess.token)
              static_configs:
                - targets: ["127.0.0.1:\(server.port)"]
        """.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        // Prometheus drops the first notification if it has not discovered its alertmanagers
        // yet, then waits resend-delay (1m by default) before sending again.
        let prometheus = Task {
            try await ServeProcess.tool([
                "timeout", "40", "prometheus", "--config.file=\(directory)/prometheus.yml",
                "--storage.tsdb.path=\(directory)/tsdb",
                "--web.listen-address=127.0.0.1:0", "--rules.alert.resend-delay=1s", "--log.level=warn",
            ])
        }
        let ran = await eventually(timeout: .seconds(30)) { server.lines("steps.log").first == "ops value 1" }
        prometheus.cancel()
        _ = try? await prometheus.value
        #expect(ran)
        #expect(server.lines("steps.log").count == 1)
        let runs = try await RbxBinary.runWithToken(["runs", "--server", server.url])
        #expect(runs.stdout.contains(" always "))
        await server.stop()
    }

    @Test func debugLogsNeverPrintTheEnvironment() async throws {
        let server = ServeProcess(directory: try ServeProcess.catalog(runbooks: [:]))
        try await server.start(logLevel: "trace", environment: ["PAGER_TOKEN": "canary-4f9d2e"])
        _ = try await server.post("/api/v1/alerts", json: #"{"name":"Nothing"}"#)
        await server.stop()
        #expect(server.log().contains("Starting service"))
        #expect(!server.log().contains("canary-4f9d2e"))
        #expect(!server.log().contains(ServeProcess.token))
    }
}
