import Foundation
import RunbookTesting
import Testing

/// `rbx run` of a runbook whose query step polls a real Prometheus until its condition holds.
@Suite(.enabled(if: PrometheusTestServer.isInstalled, Comment(rawValue: PrometheusTestServer.missing)))
struct CLIQueryTests {
    @Test("rbx run asks Prometheus, polls until the condition holds, and prints the values it got")
    func runPollsPrometheus() async throws {
        let prometheus = try await PrometheusTestServer.start()
        defer { prometheus.stop() }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-query-\(UUID().uuidString)")
        try FileManager.default.copyItem(atPath: RbxBinary.fixture("query"), toPath: directory.path)
        defer { try? FileManager.default.removeItem(at: directory) }
        let template = try String(contentsOf: directory.appendingPathComponent("rbx.yaml.in"), encoding: .utf8)
        try template.replacingOccurrences(of: "@URL@", with: prometheus.url)
            .write(to: directory.appendingPathComponent("rbx.yaml"), atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["PROM_TOKEN"] = "prom-token-for-test"
        let run = try await RbxBinary.run(
            [
                "run", "replication-lag", "--alert", directory.path + "/alert.json", "--catalog", directory.path,
                "--no-evidence",
            ], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains(#"lag queries main: label_replace(vector(42), "instance", "db-1", "", "")"#))
        #expect(run.stdout.contains("lag ok: value 42"))
        #expect(run.stdout.contains("caught_up polls every 1s until value >= time(run.started_at) + 2"))
        #expect(run.stdout.contains("caught_up ok after "), "\(run.stdout)")
        #expect(run.stdout.contains("finished: resolved"), "\(run.stdout)")
        #expect(!run.stdout.contains("prom-token-for-test"))
    }
}
