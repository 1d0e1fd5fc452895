public import RunbookYAML

/// Decides which runbook answers an alert, and can say why every other one did not.
///
/// All runbooks whose `match` accepts the alert are candidates; the highest `priority` wins
/// and ties go to the name that sorts first (reported, because a tie is usually an
/// oversight a reviewer wants to see).
public enum RunbookMatcher {
    public static func match(_ alert: Alert, in catalog: Catalog) -> MatchResult {
        let ladder = catalog.config.severity
        let evaluations = catalog.runbooks.map { evaluate($0, alert: alert, ladder: ladder) }
        let matching = evaluations.filter(\.matched).sorted {
            ($0.priority, $1.runbook) > ($1.priority, $0.runbook)
        }
        let others = evaluations.filter { !$0.matched }.sorted { $0.runbook < $1.runbook }
        var tie: [String] = []
        if let first = matching.first {
            tie = matching.filter { $0.priority == first.priority }.map(\.runbook)
        }
        return MatchResult(alert: alert, matching: matching, notMatching: others, tiedAtTop: tie.count > 1 ? tie : [])
    }

    /// The runbook `match` would select, without building the explanation: intake routes every
    /// alert through this, so it stops at the first failing matcher and allocates nothing.
    public static func selectedRunbook(for alert: Alert, in catalog: Catalog) -> Runbook? {
        let rank = alert.severity.flatMap { catalog.config.severity.rank(of: $0) }
        // Indices, not `for runbook in`: iterating by value copies (retains) every runbook.
        var best: Int?
        for index in catalog.runbooks.indices where accepts(catalog.runbooks[index].match, alert: alert, rank: rank) {
            if let current = best,
                (catalog.runbooks[current].priority, catalog.runbooks[index].name) >= (
                    catalog.runbooks[index].priority, catalog.runbooks[current].name
                )
            {
                continue
            }
            best = index
        }
        return best.map { catalog.runbooks[$0] }
    }

    /// Whether `runbook` matches `alert`, without explaining why (``evaluate(_:alert:ladder:)``).
    public static func matches(_ runbook: Runbook, alert: Alert, ladder: SeverityLadder) -> Bool {
        accepts(runbook.match, alert: alert, rank: alert.severity.flatMap { ladder.rank(of: $0) })
    }

    private static func accepts(_ match: RunbookMatch, alert: Alert, rank: Int?) -> Bool {
        guard match.acceptsAlerts else { return false }
        if !match.sources.isEmpty, !match.sources.contains(where: { $0.matches(alert.source) }) { return false }
        if let severity = match.severity, !severity.matches(rank: rank) { return false }
        return match.labels.allSatisfy { $0.matches(alert.labels) }
    }

    /// Checks every matcher of one runbook (not stopping at the first failure, so `--explain`
    /// shows all the reasons).
    public static func evaluate(_ runbook: Runbook, alert: Alert, ladder: SeverityLadder) -> MatchEvaluation {
        var checks: [MatchCheck] = []
        let match = runbook.match
        if !match.acceptsAlerts {
            checks.append(
                MatchCheck(
                    matcher: "kind", passed: false,
                    detail:
                        "\(runbook.name) is a check: it runs on its schedule (\(runbook.schedule?.value.text ?? "")), "
                        + "never for an alert"))
        }
        if !match.sources.isEmpty {
            let passed = match.sources.contains { $0.matches(alert.source) }
            let patterns = match.sources.map { "\"\($0.pattern)\"" }.joined(separator: " or ")
            checks.append(
                MatchCheck(
                    matcher: "source", passed: passed,
                    detail: "source \"\(alert.source)\" \(passed ? "matches" : "does not match") \(patterns)"))
        }
        if let severity = match.severity {
            let rank = alert.severity.flatMap { ladder.rank(of: $0) }
            let passed = severity.matches(rank: rank)
            let shown = alert.severity.map { level in
                alert.rawSeverity.map { $0 == level ? level : "\(level) (\"\($0)\")" } ?? level
            }
            let detail =
                shown.map {
                    "severity \($0) \(passed ? "is" : "is not") \(severity.isList ? "one of " : "")\(severity)"
                }
                ?? "the alert has no severity the ladder knows" + (alert.rawSeverity.map { " (\"\($0)\")" } ?? "")
                + "; needs \(severity)"
            checks.append(MatchCheck(matcher: "severity", passed: passed, detail: detail))
        }
        for matcher in match.labels {
            let passed = matcher.matches(alert.labels)
            let actual = alert.labels[matcher.name].map { "\"\($0)\"" } ?? "missing"
            checks.append(
                MatchCheck(
                    matcher: "labels.\(matcher.name)", passed: passed,
                    detail: "label \(matcher.name)=\(actual) \(passed ? "satisfies" : "fails") \(matcher)"))
        }
        return MatchEvaluation(
            runbook: runbook.name, file: runbook.file, location: runbook.match.location, priority: runbook.priority,
            checks: checks)
    }
}

public struct MatchResult: Sendable {
    public var alert: Alert
    /// Runbooks that accept the alert, the winner first.
    public var matching: [MatchEvaluation]
    public var notMatching: [MatchEvaluation]
    /// Names of runbooks tied at the highest priority (empty when there is no tie).
    public var tiedAtTop: [String]

    public var selected: MatchEvaluation? { matching.first }
}

public struct MatchEvaluation: Sendable {
    public var runbook: String
    public var file: String
    public var location: SourceLocation
    public var priority: Int
    public var checks: [MatchCheck]

    public var matched: Bool { checks.allSatisfy(\.passed) }
    public var failures: [MatchCheck] { checks.filter { !$0.passed } }
}

public struct MatchCheck: Sendable {
    public var matcher: String
    public var passed: Bool
    public var detail: String
}
