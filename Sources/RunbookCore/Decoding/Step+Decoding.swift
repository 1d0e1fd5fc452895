internal import RunbookYAML

extension DocumentDecoder {
    mutating func steps(_ node: YAMLNode?, in what: String) -> [Step] {
        guard let node else { return [] }
        guard let items = list(node, "\(what) steps") else { return [] }
        if items.isEmpty {
            error("empty-steps", "\(what) has no steps", at: node.location)
        }
        // Sized up front: compactMap would grow the array step by step, and each growth copies
        // every (large) step decoded so far.
        var steps: [Step] = []
        steps.reserveCapacity(items.count)
        for item in items {
            if let step = step(item) { steps.append(step) }
        }
        stepID = nil
        return steps
    }

    mutating func step(_ node: YAMLNode) -> Step? {
        stepID = nil
        guard let fields = fields(node, allowed: FormatKeys.step, in: "step") else { return nil }
        guard let id = string(required(fields, "id"), "step id") else { return nil }
        stepID = id.value
        if !Self.isStepID(id.value) {
            error(
                "step-id",
                "step id \"\(id.value)\" is not valid; start with a lowercase letter, then letters, digits, _ or -",
                at: id.location)
        }
        guard let kind = choice(required(fields, "kind"), "step \"\(id.value)\" kind", as: StepKind.self) else {
            return nil
        }
        guard let action = action(of: fields, kind: kind, id: id.value) else { return nil }

        let timeout = stepDuration(fields["timeout"], "step \"\(id.value)\" timeout")
        let safe = bool(fields["safe"], "safe") ?? false
        if safe && kind != .diagnostic, let location = fields.keyLocation("safe") {
            error(
                "safe-kind", "only diagnostic steps can be marked safe; \"\(id.value)\" is a \(kind.rawValue) step",
                at: location)
        }
        if let location = fields.keyLocation("interval"), !fields.has("until") {
            error(
                "interval-without-until", "interval only applies with until; add an until condition or remove interval",
                at: location)
        }
        let allowLeadingDash = bool(fields["allow_leading_dash"], "allow_leading_dash") ?? false
        if let location = fields.keyLocation("allow_leading_dash"), !fields.has("run") {
            error(
                "allow-leading-dash",
                "allow_leading_dash applies to run: argv lists; a playbook input sets its own allow_leading_dash",
                at: location)
        }
        if let location = fields.keyLocation("backoff"), !fields.has("retries") {
            warning("backoff-without-retries", "backoff has no effect without retries", at: location)
        }
        return Step(
            id: id, kind: kind, action: action, location: node.location,
            name: string(fields["name"], "step name")?.value,
            description: string(fields["description"], "step description")?.value,
            env: namedValues(fields["env"], "env"),
            when: condition(fields["when"], "when"),
            until: condition(fields["until"], "until"),
            interval: stepDuration(fields["interval"], "interval")?.value,
            timeout: timeout,
            retries: integer(fields["retries"], "retries", minimum: 0) ?? 0,
            backoff: stepDuration(fields["backoff"], "backoff")?.value,
            continueOnError: bool(fields["continue_on_error"], "continue_on_error") ?? false,
            safe: safe,
            idempotent: bool(fields["idempotent"], "idempotent"),
            outputs: outputs(fields["outputs"]),
            onTimeout: choice(fields["on_timeout"], "on_timeout", as: Step.ApprovalTimeout.self) ?? .deny,
            minApprovers: integer(fields["min_approvers"], "min_approvers", minimum: 1) ?? 1,
            allowLeadingDash: allowLeadingDash,
            workdir: workdir(fields),
            budget: stepBudget(fields, kind: kind, id: id.value))
    }

    /// A step's `budget:`, for the kinds that act. Passed to `Step.init` rather than set on the
    /// finished step, which would copy every step decoded.
    private mutating func stepBudget(_ fields: MappingFields, kind: StepKind, id: String) -> Budget? {
        guard let node = fields["budget"] else { return nil }
        if [.wait, .notify, .approval, .stop, .raise].contains(kind) {
            error(
                "key-for-kind",
                "budget limits steps that act (a remediation, a diagnostic, a uses: call); a \(kind.rawValue) "
                    + "step has nothing to count",
                at: fields.keyLocation("budget") ?? node.location)
            return nil
        }
        return budget(node, "step \"\(id)\" budget")
    }

    /// A duration, or an interpolated one (`"{{ inputs.grace }}"`) read when the step starts.
    mutating func stepDuration(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Located<StepDuration>? {
        guard let node, let scalar = node.scalar, Interpolation.hasOpening(scalar.value) else {
            return duration(node, what()).map { Located(.fixed($0.value), at: $0.location) }
        }
        return interpolated(node, what()).map { Located(.interpolated($0), at: $0.location) }
    }

    /// `workdir:` for run and shell steps; written absolute, since rbx's own directory is not the
    /// runbook author's business.
    private mutating func workdir(_ fields: MappingFields) -> InterpolatedText? {
        guard let node = fields["workdir"] else { return nil }
        if !fields.has("run") && !fields.has("shell") {
            error(
                "key-for-kind", "workdir applies to run and shell steps",
                at: fields.keyLocation("workdir") ?? node.location)
            return nil
        }
        guard let text = interpolated(node, "workdir") else { return nil }
        if !text.text.hasPrefix("/") && !text.text.hasPrefix("{{") {
            error("workdir", "workdir \"\(text.text)\" must be an absolute path", at: text.location)
        }
        return text
    }

    static func isStepID(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first >= 0x61, first <= 0x7A else { return false }
        return bytes.allSatisfy {
            ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_")
                || $0 == UInt8(ascii: "-")
        }
    }

    /// The kind-specific keys a step of `kind` may have: built once, not for every step decoded,
    /// and short lists, which are cheaper to search than a set is to hash into.
    private static func kindKeys(_ kind: StepKind) -> [String] {
        switch kind {
        case .diagnostic: diagnosticKeys
        case .remediation: remediationKeys
        case .notify: notifyKeys
        case .wait: waitKeys
        case .approval: approvalKeys
        case .stop: stopKeys
        case .raise: raiseKeys
        }
    }

    private static let diagnosticKeys: [String] = ["run", "shell", "uses", "with", "workdir", "query", "prometheus"]
    private static let remediationKeys: [String] = ["run", "shell", "uses", "with", "workdir"]
    private static let notifyKeys: [String] = ["notify", "template", "message"]
    private static let waitKeys: [String] = ["duration"]
    private static let approvalKeys: [String] = ["message", "approvers", "on_timeout", "min_approvers"]
    private static let stopKeys: [String] = ["stop", "handoff"]
    private static let raiseKeys: [String] = ["raise"]

    private mutating func action(of fields: MappingFields, kind: StepKind, id: String) -> Step.Action? {
        let allowedHere = Self.kindKeys(kind)
        for key in FormatKeys.kindSpecificKeys where fields.has(key) && !allowedHere.contains(key) {
            if let location = fields.keyLocation(key) {
                let hint = key == "query" ? "; a query is read-only: write kind: diagnostic" : ""
                error("key-for-kind", "\"\(key)\" does not apply to a \(kind.rawValue) step" + hint, at: location)
            }
        }
        switch kind {
        case .diagnostic, .remediation:
            let actions = kind == .diagnostic ? ["run", "shell", "uses", "query"] : ["run", "shell", "uses"]
            let present = actions.filter { fields.has($0) }
            let named = kind == .diagnostic ? "run, shell, uses or query" : "run, shell or uses"
            guard present.count == 1 else {
                let message =
                    present.isEmpty
                    ? "\(kind.rawValue) step \"\(id)\" needs one of \(named)"
                    : "step \"\(id)\" has \(present.joined(separator: " and ")); a step does exactly one of \(named)"
                error("step-action", message, at: fields.node.location)
                return nil
            }
            if let location = fields.keyLocation("prometheus"), !fields.has("query") {
                error("key-for-kind", "prometheus names the server of a query: step; it needs query", at: location)
            }
            if fields.has("with") && !fields.has("uses"), let location = fields.keyLocation("with") {
                error("with-without-uses", "with passes inputs to a playbook; it needs uses", at: location)
            }
            if let argvNode = fields["run"] {
                guard let items = list(argvNode, "run") else { return nil }
                guard !items.isEmpty else {
                    error("empty-argv", "run needs at least the program to start", at: argvNode.location)
                    return nil
                }
                let argv = items.compactMap { interpolated($0, "run argument") }
                return argv.count == items.count ? .run(argv) : nil
            }
            if let queryNode = fields["query"] {
                guard let text = interpolated(queryNode, "query") else { return nil }
                if text.text.allSatisfy(\.isWhitespace) {
                    error("empty-query", "query is empty; write a PromQL expression", at: text.location)
                    return nil
                }
                return .query(PrometheusQuery(text: text, server: name(fields["prometheus"], "prometheus")))
            }
            if let script = fields["shell"] {
                return interpolated(script, "shell").map { .shell($0) }
            }
            guard let playbook = name(fields["uses"], "uses") else { return nil }
            return .uses(playbook: playbook, with: namedValues(fields["with"], "with"))
        case .notify:
            guard let targets = stringList(required(fields, "notify"), "notify") else { return nil }
            let template = name(fields["template"], "template")
            let message = interpolated(fields["message"], "message")
            if template == nil && message == nil {
                error("notify-body", "notify step \"\(id)\" needs a template or a message", at: fields.node.location)
            }
            return .notify(targets: targets, template: template, message: message)
        case .wait:
            guard let length = stepDuration(required(fields, "duration"), "duration") else { return nil }
            return .wait(length.value)
        case .stop:
            let handoff = name(fields["handoff"], "handoff")
            return interpolated(required(fields, "stop"), "stop").map { .stop(reason: $0, handoff: handoff) }
        case .approval:
            return .approval(
                message: interpolated(fields["message"], "message"),
                approvers: stringList(fields["approvers"], "approvers")?.map(\.value) ?? [])
        case .raise:
            return alertRaise(required(fields, "raise")).map { .raise($0) }
        }
    }

    /// `raise: {alertname, severity, labels, annotations, expires, resolve}`.
    private mutating func alertRaise(_ node: YAMLNode?) -> AlertRaise? {
        guard let node, let fields = fields(node, allowed: FormatKeys.raise, in: "raise"),
            let name = interpolated(required(fields, "alertname"), "raise.alertname")
        else { return nil }
        let labels = namedValues(fields["labels"], "raise.labels")
        for label in labels where label.name.value == "alertname" {
            error("raise-label", "raise.labels.alertname: the alert's name is raise.alertname", at: label.name.location)
        }
        let expires = duration(fields["expires"], "raise.expires")
        if let expires, expires.value <= .zero {
            error("range", "raise.expires must be longer than 0s", at: expires.location)
        }
        return AlertRaise(
            name: name, severity: interpolated(fields["severity"], "raise.severity"), labels: labels,
            annotations: namedValues(fields["annotations"], "raise.annotations"), expires: expires?.value,
            resolve: bool(fields["resolve"], "raise.resolve") ?? false, location: node.location)
    }

    private mutating func namedValues(_ node: YAMLNode?, _ what: String) -> [StepInput] {
        guard let entries = stringMap(node, what) else { return [] }
        return entries.compactMap { entry in
            interpolated(entry.value, "\(what).\(entry.key.value)").map { StepInput(name: entry.key, value: $0) }
        }
    }

    private mutating func outputs(_ node: YAMLNode?) -> [StepOutput] {
        guard let entries = stringMap(node, "outputs") else { return [] }
        return entries.compactMap { entry in output(named: entry.key, entry.value) }
    }

    /// `name: REGEX`, or a mapping with one of `regex` (and `all`), `lines` or `json`, and `from`.
    private mutating func output(named name: Located<String>, _ node: YAMLNode) -> StepOutput? {
        let what = "outputs.\(name.value)"
        if node.mapping == nil {
            guard let pattern = string(node, what), let regex = checkedRegex(pattern, what) else { return nil }
            return StepOutput(name: name, extraction: .firstMatch(regex))
        }
        guard let fields = fields(node, allowed: FormatKeys.output, in: what) else { return nil }
        let stream = choice(fields["from"], "\(what).from", as: StepOutput.Stream.self) ?? .stdout
        let forms = ["regex", "lines", "json"].filter { fields.has($0) }
        guard forms.count == 1 else {
            error(
                "output-form",
                "\(what) needs exactly one of regex, lines or json"
                    + (forms.isEmpty ? "" : ", found \(forms.joined(separator: " and "))"),
                at: node.location)
            return nil
        }
        if fields.has("all") && forms[0] != "regex", let location = fields.keyLocation("all") {
            error("output-form", "\(what).all only applies to regex; lines and json already give lists", at: location)
        }
        switch forms[0] {
        case "regex":
            guard let pattern = string(fields["regex"], "\(what).regex"),
                let regex = checkedRegex(pattern, "\(what).regex")
            else { return nil }
            let all = bool(fields["all"], "\(what).all") ?? false
            return StepOutput(name: name, extraction: all ? .allMatches(regex) : .firstMatch(regex), stream: stream)
        case "lines":
            guard let lines = bool(fields["lines"], "\(what).lines") else { return nil }
            if !lines {
                error("output-form", "\(what).lines: false extracts nothing; remove the output", at: node.location)
                return nil
            }
            return StepOutput(name: name, extraction: .lines, stream: stream)
        default:
            guard let text = string(fields["json"], "\(what).json") else { return nil }
            switch JSONPath.parse(text.value) {
            case .success(let path): return StepOutput(name: name, extraction: .json(path), stream: stream)
            case .failure(let problem):
                error("json-path", "\(what).json: \(problem.message)", at: text.location)
                return nil
            }
        }
    }

    /// The pattern compiled once for the catalog (runs reuse it on every attempt), or `nil`
    /// with the error recorded.
    private mutating func checkedRegex(_ pattern: Located<String>, _ what: String) -> AnchoredPattern? {
        do {
            return try regexes.searchingPattern(pattern.value)
        } catch {
            self.error("regex", "\(what): \(error)", at: pattern.location)
            return nil
        }
    }
}
