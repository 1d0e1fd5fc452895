import Foundation
import RunbookCore
import RunbookYAML
import Testing

/// Issue 13, item 8: webhook URLs are checked by lint, not when a page is due.
@Suite struct WebhookURLTests {
    @Test(arguments: [
        "https://hooks.example.com/services/T0/B0/x",
        "http://127.0.0.1:9093/api/v2/alerts",
        "https://hooks.example.com/${HOOK_PATH}?token=${TOKEN}",
        "https://user:${PASSWORD}@hooks.example.com/x",
        "${SLACK_WEBHOOK_URL}",
        "https://[::1]:8443/hook",
    ])
    func acceptable(_ url: String) {
        #expect(WebhookURL.problem(url) == nil)
    }

    @Test(arguments: [
        ("file:///etc/passwd", "file:// is not allowed for a webhook"),
        ("gopher://example.com/", "gopher:// is not allowed"),
        ("hooks.example.com/x", "is not a URL"),
        ("https://{{alert.labels.target}}/hook", "is not a template"),
        ("https://${HOOK_HOST}/hook", "the host of https://${HOOK_HOST}/hook comes from a ${…} reference"),
        ("https:///path", "has no host"),
        ("https://example.com:99999/x", "invalid port \"99999\""),
        ("https://exa mple.com/", "the host holds \" \""),
    ])
    func refused(_ url: String, problem: String) {
        #expect(WebhookURL.problem(url)?.contains(problem) == true, "\(WebhookURL.problem(url) ?? "nil")")
    }

    @Test func lintReportsAFileURLWhereItIsWritten() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("rbx.yaml")
        try
            (String(contentsOf: config, encoding: .utf8).replacingOccurrences(
                of: "notifiers:\n", with: "notifiers:\n  hook: { type: webhook, url: \"file:///etc/shadow\" }\n"))
            .write(to: config, atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let found = catalog.diagnostics.first { $0.code == "webhook-url" }
        #expect(found?.location.line == 4)
        #expect(found?.location.column == 31)
        #expect(found?.message.contains("notifier \"hook\": file:// is not allowed for a webhook") == true)
        #expect(found?.severity == .error)
    }
}

@Suite struct UnescapedTemplateTests {
    @Test func aTripleStacheOnAlertDataWarnsWhereItIsWritten() async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        try "Down: {{alert.labels.instance}}\nraw: {{{alert.annotations.summary}}} {{& alert.name}} {{{run.id}}}\n"
            .write(
                to: directory.appendingPathComponent("templates/raw.mustache"), atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let warnings = catalog.diagnostics.filter { $0.code == "template-unescaped" }
        #expect(warnings.map { "\($0.location.line):\($0.location.column)" } == ["2:6", "2:38"])
        #expect(warnings.allSatisfy { $0.severity == .warning })
        #expect(warnings.first?.message.contains("{{{alert.annotations.summary}}} outputs alert data") == true)
    }
}

/// Issue 13, item 9: the evidence signing key is a secret, so it comes from a reference.
@Suite struct EvidenceSigningKeyLintTests {
    @Test(arguments: [
        ("\"${RBX_EVIDENCE_KEY}\"", nil as String?),
        ("MC4CAQAwBQYDK2VwBCIEIJ4n", "evidence.signing_key must be a reference like \"${RBX_EVIDENCE_KEY}\""),
    ])
    func theKeyIsAReferenceNeverTheKey(_ value: String, problem: String?) async throws {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("rbx.yaml")
        try (String(contentsOf: config, encoding: .utf8) + "evidence:\n  signing_key: \(value)\n")
            .write(to: config, atomically: true, encoding: .utf8)
        let catalog = try await CatalogLoader.load(directory: directory.path)
        let found = catalog.diagnostics.first { $0.code == "secret-in-yaml" }
        #expect(found?.message.hasPrefix(problem ?? "") ?? (problem == nil), "\(catalog.diagnostics)")
        #expect((found == nil) == (problem == nil))
        #expect(catalog.config.evidenceSigningKey == (problem == nil ? "${RBX_EVIDENCE_KEY}" : nil))
    }
}
