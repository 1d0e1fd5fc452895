public import RunbookCore

/// Alerts made up from a runbook's own matchers, for documentation ("this is what an alert for
/// it looks like") and for `rbx diff` (which alerts route differently after a change).
///
/// Every alert returned really matches the runbook it was made for: candidates are checked
/// with ``RunbookMatcher`` and dropped when a matcher could not be satisfied (a regex too
/// clever for the value guesses below).
public enum SampleAlerts {
    /// The most typical alert for `runbook`: first alternative of every matcher, the most
    /// severe level its severity matcher admits. Nil when no guess satisfies the matchers.
    public static func typical(for runbook: Runbook, config: CatalogConfig) -> Alert? {
        let labels = runbook.match.labels.reduce(into: [String: String]()) { labels, matcher in
            if let value = values(satisfying: matcher).first { labels[matcher.name] = value }
        }
        let severity = levels(for: runbook, config: config).first ?? nil
        let alert = make(
            labels: labels, source: sources(for: runbook, config: config).first ?? config.defaultSource,
            severity: severity, config: config)
        return RunbookMatcher.matches(runbook, alert: alert, ladder: config.severity) ? alert : nil
    }

    /// Alerts at the edges of `runbook`'s matchers: every admitted severity level and the ones
    /// next to them, every regex alternative, the value a `!=` excludes, a label left out.
    /// They need not match `runbook`: `rbx diff` routes them through both catalogs and reports
    /// the ones whose runbook changed.
    public static func probes(for runbook: Runbook, config: CatalogConfig) -> [Alert] {
        guard let base = typical(for: runbook, config: config) else { return [] }
        var alerts: [Alert] = [base]
        var seen: Set<String> = [key(base)]
        func add(_ alert: Alert) {
            if seen.insert(key(alert)).inserted { alerts.append(alert) }
        }
        for level in config.severity.levels + [nil] as [String?] {
            add(make(labels: base.labels, source: base.source, severity: level, config: config))
        }
        for matcher in runbook.match.labels {
            var candidates = values(satisfying: matcher)
            switch matcher.op {
            case .notEqual: candidates.append(matcher.value)
            case .doesNotMatchRegex: candidates += alternatives(of: matcher.value)
            case .equal, .matchesRegex: break
            }
            for value in candidates {
                var labels = base.labels
                labels[matcher.name] = value
                add(make(labels: labels, source: base.source, severity: base.severity, config: config))
            }
            var without = base.labels
            without[matcher.name] = nil
            if matcher.name != "alertname" {
                add(make(labels: without, source: base.source, severity: base.severity, config: config))
            }
        }
        for source in sources(for: runbook, config: config) + [config.defaultSource] {
            add(make(labels: base.labels, source: source, severity: base.severity, config: config))
        }
        return alerts
    }

    /// An alert as intake would build it: source and severity also as labels, fingerprint
    /// from the labels.
    public static func make(labels: [String: String], source: String, severity: String?, config: CatalogConfig) -> Alert
    {
        var labels = labels
        if labels["alertname"] == nil { labels["alertname"] = "SampleAlert" }
        labels[config.sourceLabel] = source
        labels[config.severityLabel] = severity
        return Alert(
            fingerprint: AlertFingerprint.of(labels), name: labels["alertname"] ?? "SampleAlert", source: source,
            severity: severity, rawSeverity: severity, status: .firing, labels: labels,
            annotations: ["summary": "sample alert made up by rbx from the runbook's matchers"])
    }

    /// One line naming what sets an alert apart: `severity P3, env=staging, source prometheus`.
    public static func describe(_ alert: Alert, config: CatalogConfig) -> String {
        var parts = ["severity \(alert.severity ?? "none")"]
        for name in alert.labels.keys.sorted() where ![config.sourceLabel, config.severityLabel].contains(name) {
            parts.append("\(name)=\(alert.labels[name] ?? "")")
        }
        parts.append("source \(alert.source)")
        return parts.joined(separator: ", ")
    }

    private static func key(_ alert: Alert) -> String {
        "\(alert.fingerprint)|\(alert.source)|\(alert.severity ?? "-")"
    }

    private static func levels(for runbook: Runbook, config: CatalogConfig) -> [String?] {
        guard let matcher = runbook.match.severity else { return config.severity.levels.first.map { [$0] } ?? [nil] }
        return config.severity.levels.enumerated().filter { matcher.matches(rank: $0.offset) }.map(\.element)
    }

    private static func sources(for runbook: Runbook, config: CatalogConfig) -> [String] {
        runbook.match.sources.map { glob in
            String(glob.pattern.map { $0 == "*" ? "sample" : $0 == "?" ? "x" : String($0) }.joined())
        }
    }

    /// Values that satisfy a matcher, best guess first; checked, so possibly empty.
    static func values(satisfying matcher: LabelMatcher) -> [String] {
        let candidates: [String] =
            switch matcher.op {
            case .equal: [matcher.value]
            case .notEqual: ["other", "sample", ""]
            case .matchesRegex: alternatives(of: matcher.value) + ["sample", "x", "0", ""]
            case .doesNotMatchRegex: ["sample", "other", "x", ""]
            }
        var seen: Set<String> = []
        return candidates.filter { matcher.matches([matcher.name: $0]) && seen.insert($0).inserted }
    }

    /// Guesses at strings a regex matches: its top-level alternatives with the simplest
    /// metacharacters resolved (`.*` and `.+` become `x`, escapes are dropped, `(a|b)` groups
    /// take their first branch). Only guesses: callers check them against the regex.
    static func alternatives(of pattern: String) -> [String] {
        splitTopLevel(pattern).map { branch in
            var result = ""
            var characters = Array(branch)[...]
            while let character = characters.popFirst() {
                switch character {
                case "\\": if let next = characters.popFirst() { result.append(next == "d" ? "0" : next) }
                case ".":
                    if let next = characters.first, next == "*" || next == "+" { characters.removeFirst() }
                    result.append("x")
                case "^", "$", "*", "?", "+": break
                case "(":
                    var depth = 1
                    var group = ""
                    while let inner = characters.popFirst() {
                        if inner == "(" { depth += 1 }
                        if inner == ")" {
                            depth -= 1
                            if depth == 0 { break }
                        }
                        group.append(inner)
                    }
                    if group.hasPrefix("?:") { group.removeFirst(2) }
                    result += alternatives(of: group).first ?? ""
                case "[":
                    var set = ""
                    while let inner = characters.popFirst(), inner != "]" { set.append(inner) }
                    result.append(set.first(where: { $0 != "^" }) ?? "x")
                default: result.append(character)
                }
            }
            return result
        }
    }

    private static func splitTopLevel(_ pattern: String) -> [String] {
        var branches: [String] = []
        var current = ""
        var depth = 0
        var escaped = false
        for character in pattern {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\":
                escaped = true
                current.append(character)
            case "(", "[":
                depth += 1
                current.append(character)
            case ")", "]":
                depth -= 1
                current.append(character)
            case "|" where depth == 0:
                branches.append(current)
                current = ""
            default: current.append(character)
            }
        }
        branches.append(current)
        return branches
    }
}
