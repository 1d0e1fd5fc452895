import Foundation
import Testing

/// `rbx run` follows a `stop` step's `handoff:` as the server does: the named runbook runs next
/// for the same alert, each run with its own evidence, and the exit code is the last run's.
struct CLIHandoffTests {
    @Test("rbx run runs the runbook a stop step hands the alert to, real processes in both")
    func runFollowsTheHandoff() async throws {
        let directory = try ServeProcess.catalog(runbooks: [
            "api.yaml": ServeProcess.runbook(
                "api", alertname: "ApiDown",
                steps: """
                      - id: check_db
                        kind: diagnostic
                        run: ["/bin/sh", "-c", "echo api >> \\"$1\\"; exit 2", "sh", "{{alert.labels.log}}"]
                        continue_on_error: true
                      - id: database
                        kind: stop
                        when: not steps.check_db.ok
                        stop: "database unreachable (exit {{steps.check_db.exit_code}})"
                        handoff: database
                    """),
            "database.yaml": ServeProcess.runbook(
                "database", alertname: "DatabaseDown",
                steps: """
                      - id: restart
                        kind: remediation
                        timeout: 5s
                        run: ["/bin/sh", "-c", "echo database >> \\"$1\\"", "sh", "{{alert.labels.log}}"]
                    """),
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = directory + "/steps.log"
        try #"{"labels":{"alertname":"ApiDown","log":"\#(log)"}}"#.write(
            toFile: directory + "/alert.json", atomically: true, encoding: .utf8)
        let run = try await RbxBinary.run([
            "run", "--alert", directory + "/alert.json", "--catalog", directory, "--json", "--evidence-dir",
            directory + "/evidence",
        ])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "api\ndatabase\n")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(object["runbook"] as? String == "api")
        #expect(object["outcome"] as? String == "stopped")
        let handed = try #require((object["handed_off"] as? [[String: Any]])?.first)
        #expect(handed["runbook"] as? String == "database")
        #expect(handed["outcome"] as? String == "succeeded")
        let timeline = handed["timeline"] as? [String] ?? []
        #expect(
            timeline.contains { $0.contains("took over the alert from run \(object["run"] as? String ?? "?") of api") })
        let bundles = try FileManager.default.contentsOfDirectory(atPath: directory + "/evidence")
        #expect(bundles.count == 2, "\(bundles)")
    }
}
