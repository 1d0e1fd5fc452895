import Foundation
internal import RunbookYAML

/// Prints diagnostics for people (`text`), programs (`json`), GitHub Actions annotations
/// (`github`) and code-scanning tools (`sarif`).
public enum DiagnosticRenderer {
    public enum Format: String, Sendable, CaseIterable {
        case text, json, github, sarif
    }

    /// - Parameter quiet: for `text`, the findings alone, without the summary line (`--quiet`).
    public static func render(
        _ diagnostics: [Diagnostic], format: Format, summary: LintSummary, quiet: Bool = false
    ) -> String {
        let sorted = diagnostics.sortedByLocation()
        switch format {
        case .text: return text(sorted, summary: quiet ? nil : summary)
        case .json: return json(sorted, summary: summary)
        case .github: return github(sorted)
        case .sarif: return sarif(sorted)
        }
    }

    private static func text(_ diagnostics: [Diagnostic], summary: LintSummary?) -> String {
        var lines = diagnostics.map { "\($0.location): \($0.severity.rawValue): \($0.message) [\($0.code)]" }
        if let summary { lines.append(summary.description) }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    private static func json(_ diagnostics: [Diagnostic], summary: LintSummary) -> String {
        let object: [String: Any] = [
            "diagnostics": diagnostics.map(jsonObject),
            "summary": [
                "errors": diagnostics.errorCount, "warnings": diagnostics.warningCount,
                "runbooks": summary.runbooks, "playbooks": summary.playbooks, "templates": summary.templates,
                "files": summary.files,
            ],
        ]
        return serialize(object)
    }

    public static func jsonObject(_ diagnostic: Diagnostic) -> [String: Any] {
        var object: [String: Any] = [
            "severity": diagnostic.severity.rawValue, "code": diagnostic.code, "message": diagnostic.message,
            "file": diagnostic.location.file, "line": diagnostic.location.line, "column": diagnostic.location.column,
        ]
        if let stepID = diagnostic.stepID { object["step"] = stepID }
        return object
    }

    /// GitHub workflow commands; `%`, CR, LF and (in properties) `:` and `,` are escaped as
    /// the runner expects.
    private static func github(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { diagnostic in
            let command = diagnostic.severity == .error ? "error" : "warning"
            let file = escapeProperty(diagnostic.location.file)
            return
                "::\(command) file=\(file),line=\(diagnostic.location.line),col=\(diagnostic.location.column),title=rbx lint (\(escapeProperty(diagnostic.code)))::\(escapeData(diagnostic.message))"
        }.map { $0 + "\n" }.joined()
    }

    private static func escapeData(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A")
    }

    private static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }

    /// SARIF 2.1.0, the format GitHub code scanning and most IDEs import.
    private static func sarif(_ diagnostics: [Diagnostic]) -> String {
        let rules = Set(diagnostics.map(\.code)).sorted().map { ["id": $0] }
        let results: [[String: Any]] = diagnostics.map { diagnostic in
            [
                "ruleId": diagnostic.code,
                "level": diagnostic.severity == .error ? "error" : "warning",
                "message": ["text": diagnostic.message],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": diagnostic.location.file],
                            "region": [
                                "startLine": diagnostic.location.line, "startColumn": diagnostic.location.column,
                            ],
                        ]
                    ]
                ],
            ]
        }
        let object: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": [
                        "driver": ["name": "rbx", "informationUri": "https://github.com/rbx/rbx", "rules": rules]
                    ], "results": results,
                ]
            ],
        ]
        return serialize(object)
    }

    static func serialize(_ object: Any) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            return "{}\n"
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// What was linted, for the closing line of the report.
public struct LintSummary: Sendable, CustomStringConvertible {
    public var files: Int
    public var runbooks: Int
    public var playbooks: Int
    public var templates: Int
    public var errors: Int
    public var warnings: Int

    public init(catalog: Catalog, shown diagnostics: [Diagnostic]) {
        files = catalog.fileCount
        runbooks = catalog.runbookNames.count
        playbooks = catalog.playbooks.count
        templates = catalog.templates.count
        errors = diagnostics.errorCount
        warnings = diagnostics.warningCount
    }

    public var description: String {
        func plural(_ count: Int, _ word: String) -> String { "\(count) \(word)\(count == 1 ? "" : "s")" }
        let checked =
            "\(plural(runbooks, "runbook")), \(plural(playbooks, "playbook")), \(plural(templates, "template"))"
        if errors == 0 && warnings == 0 { return "ok: \(checked) checked, no problems" }
        return "\(plural(errors, "error")), \(plural(warnings, "warning")) in \(checked)"
    }
}
