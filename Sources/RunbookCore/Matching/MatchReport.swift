import Foundation
internal import RunbookYAML

/// Renders ``MatchResult``s for `rbx match`: which runbook would run and, with `explain`,
/// every matcher of every runbook with the reason it passed or failed.
public enum MatchReport {
    public static func text(_ results: [MatchResult], explain: Bool) -> String {
        results.map { text($0, explain: explain) }.joined(separator: "\n")
    }

    private static func text(_ result: MatchResult, explain: Bool) -> String {
        let alert = result.alert
        var lines: [String] = []
        let severity =
            alert.severity.map { level in
                alert.rawSeverity.map { $0 == level ? level : "\(level) (\"\($0)\")" } ?? level
            } ?? "none"
        lines.append(
            "alert \(alert.name) [\(alert.fingerprint)] source=\(alert.source) severity=\(severity) status=\(alert.status.rawValue)"
        )
        if let selected = result.selected {
            lines.append("=> runbook \(selected.runbook) (priority \(selected.priority), \(selected.location))")
            if !result.tiedAtTop.isEmpty {
                lines.append(
                    "   note: \(result.tiedAtTop.joined(separator: ", ")) tie at priority \(selected.priority); \(selected.runbook) wins by name. Give one a higher priority."
                )
            }
            let others = result.matching.dropFirst()
            if !others.isEmpty && !explain {
                lines.append(
                    "   also matched, lower priority: "
                        + others.map { "\($0.runbook) (\($0.priority))" }.joined(separator: ", "))
            }
        } else {
            lines.append("=> no runbook matches")
        }
        guard explain else { return lines.joined(separator: "\n") + "\n" }
        if !result.matching.isEmpty {
            lines.append("matched:")
            for evaluation in result.matching { lines += describe(evaluation) }
        }
        if !result.notMatching.isEmpty {
            lines.append("not matched:")
            for evaluation in result.notMatching { lines += describe(evaluation) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ evaluation: MatchEvaluation) -> [String] {
        var lines = [
            "  \(evaluation.matched ? "+" : "-") \(evaluation.runbook) (priority \(evaluation.priority), \(evaluation.location))"
        ]
        if evaluation.checks.isEmpty {
            lines.append("      + matches every alert (no matchers)")
        }
        for check in evaluation.checks {
            lines.append("      \(check.passed ? "+" : "-") \(check.detail)")
        }
        return lines
    }

    public static func json(_ results: [MatchResult]) -> String {
        let objects: [[String: Any]] = results.map { result in
            let alert = result.alert
            var alertObject: [String: Any] = [
                "name": alert.name, "fingerprint": alert.fingerprint, "source": alert.source,
                "status": alert.status.rawValue,
                "labels": alert.labels,
            ]
            alertObject["severity"] = alert.severity ?? NSNull()
            return [
                "alert": alertObject,
                "runbook": result.selected?.runbook ?? NSNull(),
                "tie": result.tiedAtTop,
                "candidates": (result.matching + result.notMatching).map { evaluation in
                    [
                        "runbook": evaluation.runbook, "file": evaluation.file, "line": evaluation.location.line,
                        "priority": evaluation.priority, "matched": evaluation.matched,
                        "checks": evaluation.checks.map {
                            ["matcher": $0.matcher, "passed": $0.passed, "detail": $0.detail]
                        },
                    ] as [String: Any]
                },
            ]
        }
        return DiagnosticRenderer.serialize(objects)
    }
}
