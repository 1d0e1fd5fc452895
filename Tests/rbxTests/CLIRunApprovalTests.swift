import Foundation
import Testing

/// `rbx run` and an approval step, as a script (no terminal) sees it: the step never guesses,
/// `--approve`/`--deny` decide it, and on_timeout applies only when the timeout elapses.
struct CLIRunApprovalTests {
    /// A catalog whose runbook looks, asks (approving on timeout, the dangerous setting), then acts.
    private func catalog() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-approval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: url.appendingPathComponent("runbooks"), withIntermediateDirectories: true)
        try """
        apiVersion: rbx/v1
        kind: Config

        """.write(to: url.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: purge
        match:
          labels:
            alertname: Full
        steps:
          - id: look
            kind: diagnostic
            run: ["/bin/sh", "-c", "echo used 93%"]
            outputs:
              used: "used (\\\\d+)%"
          - id: gate
            kind: approval
            message: purge {{steps.look.outputs.used}}% full disk?
            timeout: 10m
            on_timeout: approve
          - id: purge
            kind: remediation
            timeout: 10s
            run: ["/bin/sh", "-c", "echo purged >> \(url.path)/effects.log"]

        """.write(to: url.appendingPathComponent("runbooks/purge.yaml"), atomically: true, encoding: .utf8)
        try #"{"labels":{"alertname":"Full"}}"#.write(
            to: url.appendingPathComponent("alert.json"), atomically: true, encoding: .utf8)
        return url
    }

    private func effects(_ directory: URL) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("effects.log"), encoding: .utf8)) ?? ""
    }

    @Test func withoutATerminalOrADecisionTheStepFailsAtOnceAndNothingRuns() async throws {
        let directory = try catalog()
        defer { try? FileManager.default.removeItem(at: directory) }
        let started = ContinuousClock.now
        let run = try await RbxBinary.run(
            ["run", "--catalog", directory.path, "--alert", "alert.json", "--no-evidence"], in: directory)
        #expect(run.status == 1)
        // Failing "at once" means not waiting out the gate's 10 minutes (this bound is a hang
        // detector, far above the seconds a loaded machine takes; the messages say why it failed).
        #expect(ContinuousClock.now - started < .seconds(300))
        #expect(
            run.stdout.contains(
                "gate needs a decision and there is no terminal to ask on: pass --approve gate or --deny gate"))
        #expect(!run.stdout.contains("on_timeout"))
        #expect(effects(directory) == "")
    }

    @Test func approveProceedsAndDenyStops() async throws {
        let directory = try catalog()
        defer { try? FileManager.default.removeItem(at: directory) }
        var environment = ProcessInfo.processInfo.environment
        environment["USER"] = "ana"
        let approved = try await RbxBinary.run(
            ["run", "--catalog", directory.path, "--alert", "alert.json", "--no-evidence", "--approve", "gate"],
            in: directory,
            environment: environment)
        #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
        #expect(approved.stdout.contains("gate approved by ana"))
        #expect(effects(directory) == "purged\n")
        let denied = try await RbxBinary.run(
            ["run", "--catalog", directory.path, "--alert", "alert.json", "--no-evidence", "--deny", "gate"],
            in: directory,
            environment: environment)
        #expect(denied.status == 1)
        #expect(denied.stdout.contains("gate denied by ana"))
        #expect(effects(directory) == "purged\n")
    }

    @Test func aDecisionForAStepTheRunbookDoesNotHaveIsAUsageError() async throws {
        let directory = try catalog()
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try await RbxBinary.run(
            ["run", "--catalog", directory.path, "--alert", "alert.json", "--no-evidence", "--approve", "gaet"],
            in: directory)
        #expect(run.status == 2)
        #expect(run.stderr.contains("--approve/--deny gaet: purge has no approval step of that id; it has gate"))
        #expect(effects(directory) == "")
    }
}
