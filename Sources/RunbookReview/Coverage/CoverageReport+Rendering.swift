import Foundation

extension CoverageReport {
    /// The findings a CI job can fail on (`rbx coverage --fail-on`).
    public enum Finding: String, Sendable, CaseIterable {
        /// A rule whose alerts no runbook can take.
        case uncovered
        /// A runbook for a rule's alert that needs a label the rule never sets.
        case gaps
        /// A runbook no rule in the files can start (often fine: other sources send it alerts).
        case untriggered
    }

    public func count(_ finding: Finding) -> Int {
        switch finding {
        case .uncovered: uncovered.count
        case .gaps: gaps.count
        case .untriggered: untriggered.count
        }
    }

    /// Plain text for a terminal: what needs a decision first, then what depends on labels.
    public func text() -> String {
        let sure = rules.filter { !$0.handledBy.isEmpty }.count
        let conditional = rules.filter { $0.handledBy.isEmpty && !$0.mayBeHandledBy.isEmpty }.count
        var lines = [
            "\(Self.count(rules.count, "alerting rule")) in \(Self.count(ruleFiles.count, "file")), "
                + "\(Self.count(runbookCount, "runbook")) that take alerts: "
                + "\(sure) handled, \(conditional) handled depending on labels, \(uncovered.count) uncovered"
        ]
        if !uncovered.isEmpty {
            lines.append("")
            lines.append("Rules no runbook handles:")
            for rule in uncovered {
                let refused = rule.refusedByIntake.map { " (intake refuses its alerts: \($0))" } ?? ""
                lines.append("  \(rule.location): error: \(rule.alert) (group \(rule.group))\(refused)")
            }
        }
        if !gaps.isEmpty {
            lines.append("")
            lines.append("Runbooks that need labels their rule never sets:")
            for gap in gaps {
                lines.append(
                    "  \(gap.ruleLocation): error: \(gap.rule) never sets \(gap.labels.joined(separator: ", ")), "
                        + "which \(gap.runbook) matches on (\(gap.matchLocation))")
            }
        }
        if !untriggered.isEmpty {
            lines.append("")
            lines.append("Runbooks no rule in these files can start:")
            for runbook in untriggered {
                lines.append("  \(runbook.matchLocation): warning: \(runbook.runbook)")
            }
        }
        let depending = rules.filter { !$0.mayBeHandledBy.isEmpty }
        if !depending.isEmpty {
            lines.append("")
            lines.append("Handled depending on label values set when the alert fires (by its series or a template):")
            for rule in depending {
                for candidate in rule.mayBeHandledBy {
                    lines.append(
                        "  \(rule.location): \(rule.alert) → \(candidate.runbook) if "
                            + candidate.conditions.joined(separator: " and "))
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Markdown page for a pull request comment or a wiki.
    public func markdown() -> String {
        var lines = [
            "# Alert coverage", "",
            "\(Self.count(rules.count, "alerting rule")) in \(Self.count(ruleFiles.count, "file")); "
                + "\(Self.count(runbookCount, "runbook")) take alerts.", "",
            "| Rule | Group | Runbook | Where |", "|---|---|---|---|",
        ]
        for rule in rules {
            let runbook: String
            if let first = rule.handledBy.first {
                runbook =
                    "`\(first)`"
                    + (rule.handledBy.count > 1 ? " (then \(rule.handledBy.dropFirst().joined(separator: ", ")))" : "")
            } else if !rule.mayBeHandledBy.isEmpty {
                runbook = rule.mayBeHandledBy.map {
                    "`\($0.runbook)` if \($0.conditions.map { "`\($0)`" }.joined(separator: " and "))"
                }.joined(separator: "; ")
            } else {
                runbook = "**none**"
            }
            lines.append("| `\(rule.alert)` | \(Self.cell(rule.group)) | \(runbook) | \(Self.cell(rule.location)) |")
        }
        if !gaps.isEmpty {
            lines += ["", "## Labels a runbook needs that the rule never sets", ""]
            for gap in gaps {
                lines.append(
                    "- `\(gap.rule)` (\(Self.cell(gap.ruleLocation))) never sets "
                        + gap.labels.map { "`\($0)`" }.joined(separator: ", ")
                        + "; `\(gap.runbook)` matches on it (\(Self.cell(gap.matchLocation)))")
            }
        }
        if !untriggered.isEmpty {
            lines += ["", "## Runbooks no rule can start", ""]
            lines += untriggered.map { "- `\($0.runbook)` (\(Self.cell($0.matchLocation)))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
