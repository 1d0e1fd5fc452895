import Foundation
import RunbookCore
import RunbookYAML

/// Prints a ``CatalogDiffReport`` for a terminal, a pull-request comment or a program.
public enum DiffRenderer {
    public enum Format: String, Sendable, CaseIterable { case text, markdown, json }

    public static func render(_ report: CatalogDiffReport, format: Format, color: Bool = false) -> String {
        switch format {
        case .text: text(report, color: color)
        case .markdown: markdown(report)
        case .json: json(report)
        }
    }

    private static func text(_ report: CatalogDiffReport, color: Bool) -> String {
        func paint(_ text: String, _ risk: DiffRisk) -> String {
            guard color else { return text }
            let code =
                switch risk {
                case .high: "31"
                case .medium: "33"
                case .low: "2"
                }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
        var lines = ["rbx diff: \(report.baseLabel) → \(report.headLabel)", report.summary]
        for runbook in report.runbooks {
            lines.append("")
            lines.append(
                "\(runbook.name): \(runbook.change.rawValue), " + paint("risk \(runbook.risk)", runbook.risk)
                    + " (\(places(runbook.base, runbook.head, report)))")
            for finding in sorted(runbook.findings) { lines += findingLines(finding, report, paint: paint) }
        }
        if !report.catalogFindings.isEmpty {
            lines.append("")
            lines.append("rbx.yaml (every runbook):")
            for finding in report.catalogFindings { lines += findingLines(finding, report, paint: paint) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func findingLines(
        _ finding: DiffFinding, _ report: CatalogDiffReport, paint: (String, DiffRisk) -> String
    ) -> [String] {
        var lines = ["  " + paint("[\(finding.risk)]", finding.risk) + " \(finding.area.rawValue): \(finding.message)"]
        lines.append("      \(places(finding.base, finding.head, report))")
        lines += finding.detail.map { "      \($0)" }
        return lines
    }

    private static func markdown(_ report: CatalogDiffReport) -> String {
        var lines = [
            "### rbx diff: behaviour changes", "",
            "`\(report.baseLabel)` → `\(report.headLabel)`: **\(report.summary)**",
        ]
        if !report.runbooks.isEmpty {
            lines += ["", "| runbook | change | risk | findings |", "|---|---|---|---|"]
            for runbook in report.runbooks {
                lines.append(
                    "| `\(runbook.name)` | \(runbook.change.rawValue) | \(badge(runbook.risk)) | \(runbook.findings.count) |"
                )
            }
        }
        for runbook in report.runbooks {
            lines += ["", "#### `\(runbook.name)` — \(runbook.change.rawValue), risk \(badge(runbook.risk))", ""]
            for finding in sorted(runbook.findings) { lines += markdownFinding(finding, report) }
        }
        if !report.catalogFindings.isEmpty {
            lines += ["", "#### `rbx.yaml` — affects every runbook", ""]
            for finding in report.catalogFindings { lines += markdownFinding(finding, report) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func markdownFinding(_ finding: DiffFinding, _ report: CatalogDiffReport) -> [String] {
        var lines = [
            "- \(badge(finding.risk)) **\(finding.area.rawValue)**: \(escapeMarkdown(finding.message)) <sub>`\(places(finding.base, finding.head, report))`</sub>"
        ]
        if !finding.detail.isEmpty {
            lines +=
                ["  ```diff"] + finding.detail.map { "  \($0.replacingOccurrences(of: "```", with: "ʼʼʼ"))" } + [
                    "  ```"
                ]
        }
        return lines
    }

    private static func json(_ report: CatalogDiffReport) -> String {
        func location(_ location: SourceLocation?, root: String) -> Any {
            guard let location else { return NSNull() }
            return ["file": relative(location.file, to: root), "line": location.line, "column": location.column]
                as [String: Any]
        }
        func object(_ finding: DiffFinding) -> [String: Any] {
            [
                "area": finding.area.rawValue, "risk": finding.risk.description, "message": finding.message,
                "base": location(finding.base, root: report.baseRoot),
                "head": location(finding.head, root: report.headRoot), "detail": finding.detail,
            ]
        }
        let document: [String: Any] = [
            "base": report.baseLabel, "head": report.headLabel, "changed": report.changed,
            "risk": report.risk.description,
            "summary": report.summary, "probed_alerts": report.probedAlerts,
            "runbooks": report.runbooks.map { runbook in
                [
                    "name": runbook.name, "change": runbook.change.rawValue, "risk": runbook.risk.description,
                    "base": location(runbook.base, root: report.baseRoot),
                    "head": location(runbook.head, root: report.headRoot),
                    "findings": sorted(runbook.findings).map(object),
                ] as [String: Any]
            },
            "catalog": report.catalogFindings.map(object),
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Highest risk first, then routing, match, steps, … in the order a reviewer reads.
    private static func sorted(_ findings: [DiffFinding]) -> [DiffFinding] {
        let areas = DiffFinding.Area.allCases
        return findings.enumerated().sorted { left, right in
            let l = left.element
            let r = right.element
            if l.risk != r.risk { return l.risk > r.risk }
            let la = areas.firstIndex(of: l.area) ?? 0
            let ra = areas.firstIndex(of: r.area) ?? 0
            return la != ra ? la < ra : left.offset < right.offset
        }.map(\.element)
    }

    /// `runbooks/a.yaml:12 → runbooks/a.yaml:14`, each side relative to its own root.
    static func places(_ base: SourceLocation?, _ head: SourceLocation?, _ report: CatalogDiffReport) -> String {
        let old = base.map { "\(relative($0.file, to: report.baseRoot)):\($0.line)" } ?? "(none)"
        let new = head.map { "\(relative($0.file, to: report.headRoot)):\($0.line)" } ?? "(none)"
        return "\(old) → \(new)"
    }

    public static func relative(_ file: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    private static func badge(_ risk: DiffRisk) -> String {
        switch risk {
        case .high: "🔴 high"
        case .medium: "🟠 medium"
        case .low: "⚪ low"
        }
    }

    private static func escapeMarkdown(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\`*_[]<>|".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
