internal import RunbookYAML

extension DocumentDecoder {
    mutating func config(_ root: YAMLNode) -> CatalogConfig {
        var config = CatalogConfig()
        config.file = file
        guard let fields = fields(root, allowed: FormatKeys.config, in: "rbx.yaml"), checkHeader(fields, kind: "Config")
        else {
            return config
        }
        if let node = fields["severity"],
            let severity = self.fields(node, allowed: FormatKeys.configSeverity, in: "severity")
        {
            readLadder(severity, into: &config)
        }
        if let node = fields["source"], let source = self.fields(node, allowed: FormatKeys.configSource, in: "source") {
            config.sourceLabel = string(source["label"], "source.label")?.value ?? config.sourceLabel
            config.defaultSource = string(source["default"], "source.default")?.value ?? config.defaultSource
        }
        if let node = fields["defaults"],
            let defaults = self.fields(node, allowed: FormatKeys.configDefaults, in: "defaults")
        {
            var values = config.defaults
            values.dedupWindow =
                duration(defaults["dedup_window"], "defaults.dedup_window")?.value ?? values.dedupWindow
            values.cooldown = duration(defaults["cooldown"], "defaults.cooldown")?.value ?? values.cooldown
            values.stepTimeout =
                duration(defaults["step_timeout"], "defaults.step_timeout")?.value ?? values.stepTimeout
            values.interval = duration(defaults["interval"], "defaults.interval")?.value ?? values.interval
            values.backoff = duration(defaults["backoff"], "defaults.backoff")?.value ?? values.backoff
            values.outputLimit = size(defaults["output_limit"], "defaults.output_limit") ?? values.outputLimit
            config.defaults = values
        }
        for (name, node) in stringMap(fields["notifiers"], "notifiers") ?? [] {
            if let notifier = notifier(name: name, node: node) { config.notifiers.append(notifier) }
        }
        config.escalation = escalationSettings(fields["escalation"], ladder: config.severity)
        config.prometheus = prometheusServers(fields["prometheus"])
        if let node = fields["delivery"], let delivery = self.fields(node, allowed: FormatKeys.delivery, in: "delivery")
        {
            config.delivery.attempts =
                integer(delivery["attempts"], "delivery.attempts", minimum: 1) ?? config.delivery.attempts
            config.delivery.backoff =
                duration(delivery["backoff"], "delivery.backoff")?.value ?? config.delivery.backoff
            config.delivery.fallback = string(delivery["fallback"], "delivery.fallback")
        }
        if let node = fields["status_page"],
            let page = self.fields(node, allowed: FormatKeys.statusPage, in: "status_page")
        {
            config.statusPage.kind =
                choice(page["type"], "status_page.type", as: CatalogConfig.StatusPage.Kind.self) ?? .file
            config.statusPage.path = string(page["path"], "status_page.path")?.value ?? config.statusPage.path
            if let url = string(page["url"], "status_page.url") {
                config.statusPage.url = url.value
                if let problem = WebhookURL.problem(url.value) {
                    error("webhook-url", "status_page url: \(problem)", at: url.location)
                }
            }
            if config.statusPage.kind == .webhook && config.statusPage.url == nil {
                error("missing-key", "status_page of type webhook needs a url", at: node.location)
            }
        }
        if let store = string(fields["store"], "store") {
            if !store.value.hasPrefix("sqlite:") && !store.value.hasPrefix("postgres://")
                && !store.value.hasPrefix("postgresql://")
            {
                error(
                    "store", "store \"\(store.value)\" is not supported; use sqlite:PATH or postgres://…",
                    at: store.location)
            } else if store.value.hasPrefix("postgres"), Self.hasInlinePassword(store.value) {
                error(
                    "secret-in-yaml", "store URL carries a password; take it from the environment with ${NAME} instead",
                    at: store.location)
            }
            config.store = store.value
        }
        if let node = fields["auth"], let auth = self.fields(node, allowed: FormatKeys.auth, in: "auth") {
            config.authToken = string(auth["token"], "auth.token")?.value
            config.authTokenFile = string(auth["token_file"], "auth.token_file")?.value
            if let token = config.authToken, !token.contains("${"), let location = auth.keyLocation("token") {
                error(
                    "secret-in-yaml",
                    "auth.token is written into the YAML; use a reference like \"${RBX_TOKEN}\" or token_file",
                    at: location)
            }
            config.authTokens = namedTokens(auth["tokens"])
        }
        if let node = fields["server"], let server = self.fields(node, allowed: FormatKeys.server, in: "server") {
            config.listen = string(server["listen"], "server.listen")?.value ?? config.listen
            config.maxBody = size(server["max_body"], "server.max_body") ?? config.maxBody
            config.server.workers = integer(server["workers"], "server.workers", minimum: 1) ?? config.server.workers
            config.server.retryLimit =
                integer(server["retry_limit"], "server.retry_limit", minimum: 0) ?? config.server.retryLimit
            let durations: [(String, WritableKeyPath<CatalogConfig.ServerSettings, Duration>)] = [
                ("retry_delay", \.retryDelay), ("claim_lock", \.claimLock), ("shutdown_grace", \.shutdownGrace),
                ("header_timeout", \.headerTimeout), ("body_timeout", \.bodyTimeout), ("idle_timeout", \.idleTimeout),
            ]
            for (key, setting) in durations {
                if let value = duration(server[key], "server.\(key)")?.value { config.server[keyPath: setting] = value }
            }
            config.server.labelNames =
                choice(server["label_names"], "server.label_names", as: LabelNameRule.self) ?? config.server.labelNames
            config.server.maxConnections =
                integer(server["max_connections"], "server.max_connections", minimum: 16)
                ?? config.server.maxConnections
            if let url = string(server["external_url"], "server.external_url") {
                let lowered = url.value.lowercased()
                if (lowered.hasPrefix("http://") || lowered.hasPrefix("https://")) && !url.value.contains(" ") {
                    config.server.externalURL = url.value.hasSuffix("/") ? String(url.value.dropLast()) : url.value
                } else {
                    error(
                        "type", "server.external_url must be an http:// or https:// URL, found \"\(url.value)\"",
                        at: url.location)
                }
            }
            config.server.sessionLifetime =
                duration(server["session_lifetime"], "server.session_lifetime")?.value ?? config.server.sessionLifetime
        }
        if let node = fields["env"], let env = self.fields(node, allowed: FormatKeys.env, in: "env") {
            config.envAllow = stringList(env["allow"], "env.allow")?.map(\.value) ?? config.envAllow
        }
        if let node = fields["secrets"], let secrets = self.fields(node, allowed: FormatKeys.secrets, in: "secrets") {
            for pattern in stringList(secrets["patterns"], "secrets.patterns") ?? [] {
                do {
                    _ = try AnchoredPattern(pattern.value)
                    config.secretPatterns.append(pattern.value)
                } catch {
                    self.error("regex", "secrets.patterns: \(error)", at: pattern.location)
                }
            }
        }
        config.sampleAlertsDirectory =
            string(fields["sample_alerts"], "sample_alerts")?.value ?? config.sampleAlertsDirectory
        if let node = fields["evidence"], let evidence = self.fields(node, allowed: FormatKeys.evidence, in: "evidence")
        {
            config.evidenceDirectory = string(evidence["dir"], "evidence.dir")?.value ?? config.evidenceDirectory
            if let key = string(evidence["signing_key"], "evidence.signing_key") {
                if !key.value.hasPrefix("${") || !key.value.hasSuffix("}") {
                    error(
                        "secret-in-yaml",
                        "evidence.signing_key must be a reference like \"${RBX_EVIDENCE_KEY}\" (the key itself, or "
                            + "RBX_EVIDENCE_KEY_FILE naming its file, comes from the environment)",
                        at: key.location)
                } else {
                    config.evidenceSigningKey = key.value
                }
            }
        }
        return config
    }

    private mutating func readLadder(_ severity: MappingFields, into config: inout CatalogConfig) {
        var levels = config.severity.levels
        if let list = stringList(severity["levels"], "severity.levels") {
            if list.isEmpty {
                error(
                    "severity-levels", "severity.levels is empty; list the levels, most severe first",
                    at: severity.node.location)
            }
            var seen = Set<String>()
            for level in list where !seen.insert(level.value.lowercased()).inserted {
                error("duplicate-level", "severity level \"\(level.value)\" is listed twice", at: level.location)
            }
            levels = list.map(\.value)
        }
        var aliases = SeverityLadder.standard.aliases.filter { levels.contains($0.value) }
        if let entries = stringMap(severity["aliases"], "severity.aliases") {
            aliases = [:]
            for (alias, node) in entries {
                guard let level = string(node, "severity.aliases.\(alias.value)") else { continue }
                if !levels.contains(level.value) {
                    error(
                        "unknown-level",
                        "alias \"\(alias.value)\" points at \"\(level.value)\", which is not in severity.levels"
                            + Suggestion.didYouMean(level.value, in: levels),
                        at: level.location)
                }
                aliases[alias.value] = level.value
            }
        }
        config.severity = SeverityLadder(levels: levels, aliases: aliases)
        config.severityLabel = string(severity["label"], "severity.label")?.value ?? config.severityLabel
        if let level = string(severity["default"], "severity.default") {
            if config.severity.rank(of: level.value) == nil {
                error(
                    "unknown-level",
                    "severity.default \"\(level.value)\" is not on the ladder"
                        + Suggestion.didYouMean(level.value, in: levels), at: level.location)
            }
            config.defaultSeverity = config.severity.level(of: level.value)
        }
    }

    private mutating func notifier(name: Located<String>, node: YAMLNode) -> CatalogConfig.Notifier? {
        let what = "notifier \"\(name.value)\""
        if !Self.isName(name.value) {
            error("name", "\(what) is not a valid name; use lowercase letters, digits and hyphens", at: name.location)
        }
        guard let fields = fields(node, allowed: FormatKeys.notifier, in: what),
            let kind = choice(required(fields, "type"), "\(what) type", as: CatalogConfig.Notifier.Kind.self)
        else { return nil }
        var notifier = CatalogConfig.Notifier(name: name, kind: kind)
        if let url = string(fields["url"], "\(what) url") {
            notifier.url = url.value
            if kind == .webhook, let problem = WebhookURL.problem(url.value) {
                error("webhook-url", "\(what): \(problem)", at: url.location)
            }
        }
        notifier.path = string(fields["path"], "\(what) path")?.value
        notifier.argv = stringList(fields["run"], "\(what) run")?.map(\.value) ?? []
        notifier.timeout = duration(fields["timeout"], "\(what) timeout")?.value ?? notifier.timeout
        notifier.drill =
            choice(fields["drill"], "\(what) drill", as: CatalogConfig.Notifier.DrillDelivery.self) ?? notifier.drill
        for (header, value) in stringMap(fields["headers"], "\(what) headers") ?? [] {
            notifier.headers[header.value] = string(value, "header \(header.value)")?.value
        }
        let needs: (key: String, missing: Bool) =
            switch kind {
            case .webhook: ("url", notifier.url == nil)
            case .command: ("run", notifier.argv.isEmpty)
            case .file: ("path", notifier.path == nil)
            }
        if needs.missing {
            error("missing-key", "\(what) of type \(kind.rawValue) needs \(needs.key)", at: node.location)
        }
        let unused = ["url", "headers", "run", "path"].filter {
            $0 != needs.key && !(kind == .webhook && $0 == "headers")
        }
        for key in unused {
            if let location = fields.keyLocation(key) {
                error("key-for-kind", "\"\(key)\" does not apply to a \(kind.rawValue) notifier", at: location)
            }
        }
        return notifier
    }

    /// `auth.tokens`: names unique, tokens given as references (a literal would sit in git).
    private mutating func namedTokens(_ node: YAMLNode?) -> [CatalogConfig.NamedToken] {
        guard let items = list(node, "auth.tokens") else { return [] }
        var tokens: [CatalogConfig.NamedToken] = []
        var seen: Set<String> = []
        for item in items {
            guard let fields = self.fields(item, allowed: FormatKeys.namedToken, in: "auth.tokens entry") else {
                continue
            }
            guard let name = string(required(fields, "name"), "auth.tokens name"),
                let token = string(required(fields, "token"), "auth.tokens token")
            else { continue }
            if !token.value.contains("${") {
                error(
                    "secret-in-yaml",
                    "the token of \"\(name.value)\" is written into the YAML; use a reference like \"${RBX_TOKEN_\(name.value.uppercased())}\"",
                    at: token.location)
            }
            if !seen.insert(name.value).inserted {
                error(
                    "duplicate-name", "auth.tokens names \"\(name.value)\" twice; each token names one identity",
                    at: name.location)
            }
            let roles = stringList(fields["as"], "auth.tokens as")?.map(\.value) ?? []
            tokens.append(CatalogConfig.NamedToken(name: name.value, token: token.value, roles: roles))
        }
        return tokens
    }

    /// `postgres://user:password@host/db` — a password written into the YAML itself.
    static func hasInlinePassword(_ url: String) -> Bool {
        guard let schemeEnd = url.firstRange(of: "://") else { return false }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.firstIndex(of: "@") else { return false }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return false }
        let password = userInfo[userInfo.index(after: colon)...]
        return !password.isEmpty && !password.hasPrefix("${")
    }
}
