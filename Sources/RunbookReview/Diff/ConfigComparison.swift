import RunbookCore
import RunbookYAML

/// rbx.yaml changes that alter behaviour for every runbook: how alerts are read (severity
/// ladder, labels), defaults, and where pages go (notifiers).
struct ConfigComparison {
    var base: CatalogConfig
    var head: CatalogConfig

    func findings() -> [DiffFinding] {
        var findings: [DiffFinding] = []
        func add(_ risk: DiffRisk, _ message: String) {
            findings.append(
                DiffFinding(
                    .config, risk, message, base: base.file.map { SourceLocation(file: $0, line: 1, column: 1) },
                    head: head.file.map { SourceLocation(file: $0, line: 1, column: 1) }))
        }
        if base.severity.levels != head.severity.levels {
            add(
                .high,
                "severity ladder is \(head.severity.levels.joined(separator: " > ")) (before: \(base.severity.levels.joined(separator: " > ")))"
            )
        }
        let aliases = Set(base.severity.aliases.keys).union(head.severity.aliases.keys).sorted().filter {
            base.severity.aliases[$0] != head.severity.aliases[$0]
        }
        if !aliases.isEmpty {
            add(
                .medium,
                "severity aliases changed: "
                    + aliases.map {
                        "\($0) → \(head.severity.aliases[$0] ?? "unknown") (before: \(base.severity.aliases[$0] ?? "unknown"))"
                    }.joined(separator: ", "))
        }
        for (what, old, new) in [
            ("severity label", base.severityLabel, head.severityLabel),
            ("default severity", base.defaultSeverity ?? "none", head.defaultSeverity ?? "none"),
            ("source label", base.sourceLabel, head.sourceLabel),
            ("default source", base.defaultSource, head.defaultSource),
        ] where old != new {
            add(.medium, "\(what) is \(new) (before: \(old))")
        }
        for (what, old, new) in [
            ("dedup window", base.defaults.dedupWindow, head.defaults.dedupWindow),
            ("default cooldown", base.defaults.cooldown, head.defaults.cooldown),
            ("default step timeout", base.defaults.stepTimeout, head.defaults.stepTimeout),
            ("default poll interval", base.defaults.interval, head.defaults.interval),
            ("default backoff", base.defaults.backoff, head.defaults.backoff),
        ] where old != new {
            add(.medium, "\(what) is \(new.runbookDescription) (before: \(old.runbookDescription))")
        }
        let names = Set(base.notifiers.map(\.name.value) + head.notifiers.map(\.name.value)).sorted()
        for name in names {
            let old = base.notifier(named: name)
            let new = head.notifier(named: name)
            switch (old, new) {
            case (_?, nil): add(.high, "notifier \(name) removed: pages and messages to it go nowhere")
            case (nil, let added?): add(.low, "new notifier \(name) (\(Self.describe(added)))")
            case (let before?, let after?) where Self.describe(before) != Self.describe(after):
                add(
                    .high, "notifier \(name) now delivers to \(Self.describe(after)) (before: \(Self.describe(before)))"
                )
            default: break
            }
        }
        // Query steps read what these servers answer: another server, another answer.
        let servers = Set((base.prometheus + head.prometheus).map(\.name.value)).sorted()
        for name in servers {
            let old = base.prometheus.first { $0.name.value == name }
            let new = head.prometheus.first { $0.name.value == name }
            switch (old, new) {
            case (_?, nil): add(.high, "prometheus \(name) removed: query steps that ask it fail")
            case (nil, let added?): add(.low, "new prometheus \(name) (\(Self.describe(added)))")
            case (let before?, let after?) where Self.describe(before) != Self.describe(after):
                add(
                    .medium,
                    "prometheus \(name) is \(Self.describe(after)) (before: \(Self.describe(before))): query steps "
                        + "that ask it may see other values")
            default: break
            }
        }
        if base.envAllow.sorted() != head.envAllow.sorted() {
            add(
                .medium,
                "env.allow is [\(head.envAllow.sorted().joined(separator: ", "))] (before: [\(base.envAllow.sorted().joined(separator: ", "))])"
            )
        }
        if base.secretPatterns != head.secretPatterns {
            add(.medium, "secrets.patterns changed: what is redacted from logs and evidence differs")
        }
        return findings
    }

    /// `http://prom:9090 with token ${PROM_TOKEN}, timeout 10s`: the reference, never a secret.
    private static func describe(_ server: PrometheusServer) -> String {
        server.url + (server.token.map { " with token \($0)" } ?? "") + ", timeout "
            + server.timeout.runbookDescription
    }

    private static func describe(_ notifier: CatalogConfig.Notifier) -> String {
        switch notifier.kind {
        case .webhook:
            "webhook \(notifier.url ?? "")"
                + (notifier.headers.isEmpty
                    ? "" : " with headers \(notifier.headers.keys.sorted().joined(separator: ", "))")
        case .command: "command [" + notifier.argv.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        case .file: "file \(notifier.path ?? "")"
        }
    }
}
