import Foundation
import RunbookCore
import Testing

/// The fast selection intake uses (`selectedRunbook`) against the explaining matcher.
struct RunbookSelectionTests {
    private func catalog(_ runbooks: [(name: String, priority: Int, match: String)]) async throws -> Catalog {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-select-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: directory.appendingPathComponent("runbooks"), withIntermediateDirectories: true)
        for runbook in runbooks {
            let text = """
                apiVersion: rbx/v1
                kind: Runbook
                metadata:
                  name: \(runbook.name)
                priority: \(runbook.priority)
                match:
                \(runbook.match)
                steps:
                  - id: look
                    kind: diagnostic
                    run: ["true"]

                """
            try text.write(
                to: directory.appendingPathComponent("runbooks/\(runbook.name).yaml"), atomically: true, encoding: .utf8
            )
        }
        return try await CatalogLoader.load(directory: directory.path)
    }

    @Test func priorityThenNameDecidesAndBothMatchersAgree() async throws {
        let loaded = try await catalog([
            ("zeta", 5, "  labels:\n    alertname: Disk"),
            ("alpha", 5, "  labels:\n    alertname: =~Di.*"),
            ("low", 1, "  labels:\n    alertname: Disk"),
            ("prod-only", 9, "  labels:\n    alertname: Disk\n    env: prod"),
            ("severe", 7, "  severity: \">=P2\"\n  labels:\n    alertname: Disk"),
        ])
        #expect(loaded.diagnostics.errorCount == 0)
        let cases: [([String: String], String?, String?)] = [
            (["alertname": "Disk"], nil, "alpha"),
            (["alertname": "Disk", "env": "prod"], nil, "prod-only"),
            (["alertname": "Disk"], "P1", "severe"),
            (["alertname": "Disk"], "P4", "alpha"),
            (["alertname": "Cpu"], nil, nil),
        ]
        for (labels, severity, expected) in cases {
            let alert = Alert(
                fingerprint: AlertFingerprint.of(labels), name: labels["alertname"] ?? "", source: "test",
                severity: severity,
                rawSeverity: severity, status: .firing, labels: labels)
            #expect(RunbookMatcher.selectedRunbook(for: alert, in: loaded)?.name == expected)
            #expect(RunbookMatcher.match(alert, in: loaded).selected?.runbook == expected)
        }
    }
}
