import Foundation
import RunbookEngine
import RunbookTesting
import Testing

/// Issue 16, item 6: `rbx doctor` (the real binary) on a catalog whose needs this machine does
/// not all meet: a program that is not installed, a secret that is not set, a notifier and a
/// Prometheus that cannot be reached; then on one it meets, with a real Prometheus.
@Suite struct DoctorCommandTests {
    static func catalog(prometheus: String, webhook: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-doctor-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
        try """
        apiVersion: rbx/v1
        kind: Config
        store: sqlite:\(directory)/state.sqlite
        notifiers:
          pager:
            type: webhook
            url: \(webhook)
            headers:
              Authorization: "Bearer ${DOCTOR_PAGER_TOKEN}"
        prometheus:
          main:
            url: \(prometheus)

        """.write(toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: disk
        match:
          labels:
            alertname: DiskFull
        steps:
          - id: look
            kind: diagnostic
            run: ["df", "-h"]
          - id: vendor
            kind: diagnostic
            run: ["doctor-test-no-such-tool", "--status"]
            env:
              API_KEY: "${DOCTOR_VENDOR_KEY}"
          - id: shell
            kind: diagnostic
            shell: "echo {{alert.labels.alertname}}"
        escalation:
          - after: 5m
            notify: [pager]

        """.write(toFile: directory + "/runbooks/disk.yaml", atomically: true, encoding: .utf8)
        return directory
    }

    @Test func doctorNamesWhatThisMachineLacksWithTheLineThatNeedsIt() async throws {
        let closed = try LocalServerProcess.freePort()
        let directory = try Self.catalog(
            prometheus: "http://127.0.0.1:\(closed)", webhook: "http://127.0.0.1:\(closed)/hook")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let environment = ["PATH": "/usr/bin:/bin"]
        let offline = try await RbxBinary.run(["doctor", "--catalog", directory], environment: environment)
        #expect(offline.status == 1, "\(offline.stdout)\(offline.stderr)")
        let lines = offline.stdout.split(separator: "\n").map(String.init)
        #expect(
            lines.contains {
                $0.hasPrefix(directory + "/runbooks/disk.yaml:14:") && $0.contains("doctor-test-no-such-tool")
                    && $0.contains("[program-missing]")
            }, "\(offline.stdout)")
        #expect(!offline.stdout.contains("runs df"), "df is installed")
        #expect(!offline.stdout.contains("/bin/sh,"), "the shell of a shell: step is there")
        #expect(
            lines.contains {
                $0.hasPrefix(directory + "/runbooks/disk.yaml:16:") && $0.contains("${DOCTOR_VENDOR_KEY}")
                    && $0.contains("[secret-missing]")
            }, "\(offline.stdout)")
        #expect(
            lines.contains { $0.hasPrefix(directory + "/rbx.yaml:") && $0.contains("${DOCTOR_PAGER_TOKEN}") },
            "\(offline.stdout)")
        #expect(!offline.stdout.contains("unreachable"), "nothing is contacted without --network")
        #expect(offline.stdout.contains("add --network"))

        let online = try await RbxBinary.run(
            ["doctor", "--catalog", directory, "--network", "--format", "json"],
            environment: environment.merging(["DOCTOR_PAGER_TOKEN": "t", "DOCTOR_VENDOR_KEY": "k"]) { $1 })
        #expect(online.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(online.stdout.utf8)) as? [String: Any])
        let codes = (report["findings"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }.sorted()
        #expect(codes == ["notifier-unreachable", "program-missing", "prometheus-unreachable"], "\(online.stdout)")
        #expect(!online.stdout.contains("Bearer t"), "a secret is never printed")
    }

    @Test func aMachineThatHasEverythingIsHealthy() async throws {
        let prometheus = try await PrometheusTestServer.start()
        defer { prometheus.stop() }
        let directory = try Self.catalog(
            prometheus: prometheus.url, webhook: prometheus.url + "/api/v1/status/buildinfo")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try String(contentsOfFile: directory + "/runbooks/disk.yaml", encoding: .utf8)
            .replacingOccurrences(of: "doctor-test-no-such-tool", with: "true")
            .write(toFile: directory + "/runbooks/disk.yaml", atomically: true, encoding: .utf8)
        let healthy = try await RbxBinary.run(
            ["doctor", "--catalog", directory, "--network"],
            environment: ["PATH": "/usr/bin:/bin", "DOCTOR_PAGER_TOKEN": "t", "DOCTOR_VENDOR_KEY": "k"])
        #expect(healthy.status == 0, "\(healthy.stdout)\(healthy.stderr)")
        #expect(
            healthy.stdout.hasPrefix("ok: checked endpoints 2, programs 3, secrets 2, store 1"), "\(healthy.stdout)")
    }
}
