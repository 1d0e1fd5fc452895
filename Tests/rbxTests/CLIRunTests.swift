import Foundation
import Testing

/// `rbx drill`, `rbx run --dry-run` and `rbx evidence verify` as scripts see them.
struct CLIRunTests {
    private func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(
        "a drill of the example catalog prints its timeline, resolves, and writes a bundle that verifies; tampering fails verify"
    )
    func drillAndVerify() async throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let drill = try await RbxBinary.run([
            "drill", "instance-down", "--alert", "examples/alerts/instance-down.json", "--evidence-dir", directory.path,
        ])
        #expect(drill.status == 0, "\(drill.stderr)")
        #expect(drill.stdout.hasPrefix("T+00:00:00  run         started drill run "))
        #expect(
            drill.stdout.contains("T+00:00:00  resolve     resolved_when holds (alert.resolved or steps.verify.ok)"))
        let bundle = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).first { !$0.hasPrefix(".") })
        let path = directory.appendingPathComponent(bundle).path
        let verified = try await RbxBinary.run(["evidence", "verify", path])
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix("ok: "))
        try FileManager.default.removeItem(atPath: path + "/timeline.md")
        let tampered = try await RbxBinary.run(["evidence", "verify", path])
        #expect(tampered.status == 1)
        #expect(tampered.stdout.contains("removed: timeline.md"))
    }

    @Test("a drill whose verification is assumed to fail exits 1 and still pages on time")
    func failingDrill() async throws {
        let drill = try await RbxBinary.run([
            "drill", "--alert", "examples/alerts/instance-down.json", "--assume", "verify=fail", "--ack-at", "20m",
            "--no-evidence",
        ])
        #expect(drill.status == 1)
        #expect(drill.stdout.contains("T+00:05:00  escalation  paged secondary-oncall"))
        #expect(drill.stdout.contains("T+00:20:00  ack         acknowledged by drill; escalation stopped"))
    }

    /// Issue 13, item 10: the run stopped at a step whose secret is not set, and rbx exited 0.
    @Test("a dry run that cannot render a step for want of a secret exits 1")
    func dryRunWithoutASecret() async throws {
        let directory = try ServeProcess.catalog(runbooks: [
            "token.yaml": ServeProcess.runbook(
                "token", alertname: "Token",
                steps: """
                      - id: call
                        kind: diagnostic
                        timeout: 5s
                        run: [/usr/bin/env]
                        env: { TOKEN: "${RBX_UNSET_TOKEN_FOR_TEST}" }
                    """)
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try #"{"labels":{"alertname":"Token"}}"#.write(
            toFile: directory + "/alert.json", atomically: true, encoding: .utf8)
        let run = try await RbxBinary.run([
            "run", "token", "--alert", directory + "/alert.json", "--catalog", directory, "--dry-run", "--no-evidence",
        ])
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("secret ${RBX_UNSET_TOKEN_FOR_TEST} is not available"))
        #expect(run.stdout.contains("finished: failed"))
    }

    @Test("a drill assuming a spent budget does not run the step, says why, and pages the first rung at once")
    func budgetDrill() async throws {
        let directory = try ServeProcess.catalog(runbooks: [
            "restarter.yaml": ServeProcess.runbook(
                "restarter", alertname: "Restart",
                steps: """
                      - id: restart
                        kind: remediation
                        timeout: 5s
                        run: [systemctl, restart, worker]
                        budget: {max: 3, per: 1h}
                    """,
                tail: """
                    escalation:
                      - after: 10m
                        notify: [pager]
                    """)
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try #"{"labels":{"alertname":"Restart"}}"#.write(
            toFile: directory + "/alert.json", atomically: true, encoding: .utf8)
        let base = [
            "drill", "restarter", "--alert", directory + "/alert.json", "--catalog", directory, "--no-evidence",
        ]
        let spent = try await RbxBinary.run(base + ["--assume-budget", "restart=3", "--for", "5m"])
        #expect(spent.status == 1, "\(spent.stdout)\(spent.stderr)")
        #expect(
            spent.stdout.contains(
                "T+00:00:00  step        restart budget exhausted: 3 of 3 uses of restart in the last 1h (next frees at 2026-"
            ),
            "\(spent.stdout)")
        #expect(spent.stdout.contains("T+00:00:00  escalation  budget exhausted; rung 1 is paged now"))
        #expect(spent.stdout.contains("T+00:00:00  escalation  paged pager"))
        let left = try await RbxBinary.run(base + ["--assume-budget", "restart=2", "--for", "5m"])
        #expect(left.stdout.contains("restart budget: use 3 of 3 in the last 1h"), "\(left.stdout)")
        #expect(!left.stdout.contains("paged pager"))
    }

    @Test("a step assumed to take time moves the rest of the drill by that much")
    func timedDrill() async throws {
        let drill = try await RbxBinary.run([
            "drill", "--alert", "examples/alerts/instance-down.json", "--assume", "verify=fail:6m", "--no-evidence",
        ])
        #expect(drill.status == 1)
        // The 5-minute rung fires while the verification still runs.
        let lines = drill.stdout.split(separator: "\n").map(String.init)
        let page = try #require(lines.firstIndex { $0.contains("escalation  paged secondary-oncall") })
        let verified = try #require(
            lines.firstIndex { $0.contains("verify failed") || $0.contains("verify timed_out") })
        #expect(page < verified, "\(drill.stdout)")
    }

    @Test("rbx run --dry-run renders commands as would-run and exits 0")
    func dryRun() async throws {
        let run = try await RbxBinary.run([
            "run", "disk-space-low", "--alert", "examples/alerts/disk-space-low.json", "--dry-run", "--no-evidence",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("disk would run: df --human-readable"))
        #expect(run.stdout.contains("finished: rendered"))
    }

    @Test(
        "bad drill arguments are usage errors (exit 2)",
        arguments: [
            ["drill", "--alert", "examples/alerts/instance-down.json", "--assume", "verify=maybe"],
            ["drill", "--alert", "examples/alerts/instance-down.json", "--assume", "verify=ok:forty"],
            ["drill", "--alert", "examples/alerts/instance-down.json", "--ack-at", "soon"],
            ["drill", "--alert", "examples/alerts/instance-down.json", "--assume-budget", "restart=many"],
            ["drill", "--alert", "examples/alerts/instance-down.json", "--assume-budget", "=3"],
            ["drill", "no-such-runbook", "--alert", "examples/alerts/instance-down.json"],
            ["evidence", "verify", "/no/such/bundle"],
        ])
    func usage(_ arguments: [String]) async throws {
        let result = try await RbxBinary.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)")
    }
}
