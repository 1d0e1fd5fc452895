import Foundation
public import RunbookCore

/// Which Prometheus alerting rules a catalog answers, which runbooks no rule can start, and
/// where a runbook for an alert needs a label its rule never sets.
///
/// Each rule's alerts are put through the real intake (``AlertDecoder``, so `source` and
/// `severity` come from the labels exactly as when they arrive) and the real matcher
/// (``RunbookMatcher``) with the labels the rule fixes; a matcher on a label whose value only
/// the series decide is reported as a condition ("depends"), never guessed.
public enum RuleCoverage {
    /// How one runbook relates to one rule's alerts.
    public enum Verdict: Sendable, Equatable {
        /// Every alert of the rule passes every matcher.
        case matches
        /// Alerts pass when these matchers hold for values the rule leaves to its series.
        case depends([String])
        /// The runbook names this alert, but needs labels the rule never sets.
        case needsLabels([String])
        /// A matcher fails on a value the rule fixes.
        case cannot
    }

    public static func analyze(rules: [AlertingRule], ruleFiles: [String], catalog: Catalog) -> CoverageReport {
        let runbooks = catalog.runbooks.filter(\.match.acceptsAlerts)
        var report = CoverageReport(ruleFiles: ruleFiles, runbookCount: runbooks.count)
        var triggered: Set<String> = []
        for rule in rules {
            var entry = CoverageReport.Rule(rule)
            let labels = rule.alertLabels
            guard let alert = intakeAlert(labels.fixedLabels, config: catalog.config, entry: &entry) else {
                report.rules.append(entry)
                continue
            }
            let ranked = runbooks.sorted { ($0.priority, $1.name) > ($1.priority, $0.name) }
            for runbook in ranked {
                switch verdict(runbook, alert: alert, labels: labels, config: catalog.config) {
                case .matches:
                    entry.handledBy.append(runbook.name)
                    triggered.insert(runbook.name)
                case .depends(let conditions):
                    entry.mayBeHandledBy.append(.init(runbook: runbook.name, conditions: conditions))
                    triggered.insert(runbook.name)
                case .needsLabels(let missing):
                    report.gaps.append(
                        .init(
                            rule: rule.name, ruleLocation: "\(rule.location)", runbook: runbook.name,
                            matchLocation: "\(runbook.match.location)", labels: missing))
                case .cannot:
                    break
                }
            }
            report.rules.append(entry)
        }
        report.untriggered = runbooks.filter { !triggered.contains($0.name) }.map {
            CoverageReport.Runbook(runbook: $0.name, matchLocation: "\($0.match.location)")
        }
        return report
    }

    /// The alert as intake would take it, built from the labels the rule fixes.
    private static func intakeAlert(
        _ labels: [String: String], config: CatalogConfig, entry: inout CoverageReport.Rule
    ) -> Alert? {
        let body = (try? JSONSerialization.data(withJSONObject: [["labels": labels]], options: [.sortedKeys])) ?? Data()
        do {
            return try AlertDecoder.decode(Array(body), config: config).first
        } catch {
            entry.refusedByIntake = "\(error)"
            return nil
        }
    }

    public static func verdict(
        _ runbook: Runbook, alert: Alert, labels: AlertLabels, config: CatalogConfig
    ) -> Verdict {
        let evaluation = RunbookMatcher.evaluate(runbook, alert: alert, ladder: config.severity)
        var missing: [String] = []
        var conditions: [String] = []
        var namesThisAlert = false
        for check in evaluation.checks {
            let label: String
            var namedOnly = true
            switch check.matcher {
            case "kind": return .cannot
            case "source": label = config.sourceLabel
            case "severity": label = config.severityLabel
            default:
                label = String(check.matcher.dropFirst("labels.".count))
                namedOnly = false
            }
            switch labels.knowledge(of: label, namedOnly: namedOnly) {
            case .fixed:
                if !check.passed { return .cannot }
                if label == "alertname" { namesThisAlert = true }
            case .absent:
                if !check.passed { missing.append(label) }
            case .unknown:
                conditions.append(condition(check.matcher, runbook: runbook))
            }
        }
        if !missing.isEmpty { return namesThisAlert ? .needsLabels(missing.sorted()) : .cannot }
        return conditions.isEmpty ? .matches : .depends(conditions)
    }

    /// The matcher as a reviewer reads it in the runbook: `env=~"prod|staging"`, `severity > P3`.
    private static func condition(_ matcher: String, runbook: Runbook) -> String {
        switch matcher {
        case "source": "source " + runbook.match.sources.map { "\"\($0.pattern)\"" }.joined(separator: " or ")
        case "severity": "severity \(runbook.match.severity.map { "\($0)" } ?? "")"
        default:
            runbook.match.labels.first { "labels.\($0.name)" == matcher }.map { "\($0)" } ?? matcher
        }
    }
}
