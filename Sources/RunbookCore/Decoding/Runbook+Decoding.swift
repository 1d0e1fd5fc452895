internal import RunbookYAML

extension DocumentDecoder {
    mutating func runbook(_ root: YAMLNode) -> Runbook? {
        if root.mapping?.first(where: { $0.hasKey("kind") })?.value.scalar?.value == "Check" { return check(root) }
        guard let fields = fields(root, allowed: FormatKeys.runbook, in: "runbook"),
            checkHeader(fields, kind: "Runbook"),
            let metadata = metadata(fields["metadata"], in: "runbook")
        else { return nil }
        let what = "runbook \"\(metadata.name.value)\""
        let match = required(fields, "match").flatMap { runbookMatch($0) }
        let steps = steps(required(fields, "steps"), in: what)
        guard let match else { return nil }
        // Every part first (in this order, which is the order of the diagnostics), then the
        // runbook at once: setting parts on a built runbook moved the whole kilobyte each time.
        let priority = integer(fields["priority"], "priority") ?? 0
        let concurrency = interpolated(fields["concurrency"], "concurrency")
        let cooldown = duration(fields["cooldown"], "cooldown")?.value
        let resolvedWhen = condition(fields["resolved_when"], "resolved_when")
        let status = statusMessages(fields["status"])
        let (escalation, choice) = escalationChoice(fields["escalation"])
        let cooldownKey = interpolated(fields["cooldown_key"], "cooldown_key")
        let dedupWindow = duration(fields["dedup_window"], "dedup_window")?.value
        let onFailure = self.steps(fields["on_failure"], in: "\(what) on_failure")
        let finally = self.steps(fields["finally"], in: "\(what) finally")
        let onBudgetExhausted = self.steps(fields["on_budget_exhausted"], in: "\(what) on_budget_exhausted")
        let runbookBudget = budget(fields["budget"], "budget")
        let schedule = schedule(fields["schedule"])
        return Runbook(
            metadata: metadata, file: file, match: match, priority: priority, concurrency: concurrency,
            cooldown: cooldown, steps: steps, resolvedWhen: resolvedWhen, escalation: escalation, status: status,
            escalationChoice: choice, cooldownKey: cooldownKey, dedupWindow: dedupWindow, onFailure: onFailure,
            finally: finally, onBudgetExhausted: onBudgetExhausted, budget: runbookBudget, schedule: schedule)
    }

    /// `kind: Check`: steps on a schedule, matching no alert.
    mutating func check(_ root: YAMLNode) -> Runbook? {
        guard let fields = fields(root, allowed: FormatKeys.check, in: "check"),
            checkHeader(fields, kind: "Check"),
            let metadata = metadata(fields["metadata"], in: "check")
        else { return nil }
        let what = "check \"\(metadata.name.value)\""
        let schedule = schedule(required(fields, "schedule"))
        var check = Runbook(
            metadata: metadata, file: file, match: .none(at: root.location),
            concurrency: interpolated(fields["concurrency"], "concurrency"),
            steps: steps(required(fields, "steps"), in: what))
        check.isCheck = true
        check.escalationChoice = .own
        check.schedule = schedule
        check.onFailure = self.steps(fields["on_failure"], in: "\(what) on_failure")
        check.finally = self.steps(fields["finally"], in: "\(what) finally")
        check.onBudgetExhausted = self.steps(fields["on_budget_exhausted"], in: "\(what) on_budget_exhausted")
        check.budget = budget(fields["budget"], "budget")
        return check
    }

    mutating func schedule(_ node: YAMLNode?) -> Located<Schedule>? {
        guard let node, let text = string(node, "schedule"), let scalar = node.scalar else { return nil }
        do {
            return Located(try Schedule.parse(text.value), at: text.location)
        } catch {
            let source = scalarSource(node, style: scalar.style)
            self.error(
                "schedule", "schedule: \(error.message)", at: source.location(atOffset: error.offset, in: text.value))
            return nil
        }
    }

    mutating func runbookMatch(_ node: YAMLNode) -> RunbookMatch? {
        guard let fields = fields(node, allowed: FormatKeys.match, in: "match") else { return nil }
        var match = RunbookMatch(location: node.location)
        if let sourceNode = fields["source"] {
            if sourceNode.sequence != nil {
                let sources = stringList(sourceNode, "match.source") ?? []
                if sources.isEmpty {
                    error(
                        "never-matches", "match.source is an empty list; this runbook could never match",
                        at: sourceNode.location)
                }
                match.sources = sources.map { SourceGlob($0.value) }
            } else if let source = string(sourceNode, "match.source") {
                match.sources = [SourceGlob(source.value)]
            }
        }
        if let severityNode = fields["severity"] {
            let result: Result<SeverityMatcher, SeverityMatcherError>?
            if severityNode.sequence != nil {
                let levels = stringList(severityNode, "match.severity") ?? []
                result =
                    levels.isEmpty
                    ? .failure(
                        SeverityMatcherError(message: "match.severity is an empty list; this runbook could never match")
                    ) : SeverityMatcher.parseLevels(levels.map(\.value), ladder: ladder)
            } else {
                result = string(severityNode, "match.severity").map {
                    SeverityMatcher.parseThreshold($0.value, ladder: ladder)
                }
            }
            switch result {
            case .success(let matcher)?:
                if matcher.ranks.isEmpty {
                    error(
                        "never-matches",
                        "match.severity \"\(matcher)\" selects no level of the ladder; this runbook could never match",
                        at: severityNode.location)
                }
                match.severity = matcher
            case .failure(let failure)?:
                error("never-matches", failure.message, at: severityNode.location)
            case nil: break
            }
        }
        for (name, valueNode) in stringMap(fields["labels"], "match.labels") ?? [] {
            guard let text = string(valueNode, "match.labels.\(name.value)") else {
                if valueNode.scalar?.isNull == true {
                    error(
                        "label-matcher", "match.labels.\(name.value) has no value; write \"\" to match a missing label",
                        at: valueNode.location)
                }
                continue
            }
            let (op, value) = LabelMatcher.split(text.value)
            do {
                match.labels.append(
                    try LabelMatcher(name: name.value, op: op, value: value, compile: regexes.anchoredRegex))
            } catch {
                self.error("regex", "match.labels.\(name.value): \(error)", at: text.location)
            }
        }
        return match
    }

    /// `escalation:` as a list of rungs, `{policy: NAME}`, or absent (the catalog's default).
    mutating func escalationChoice(_ node: YAMLNode?) -> ([EscalationRung], EscalationChoice) {
        guard let node, node.scalar?.isNull != true else { return ([], .catalogDefault) }
        guard node.mapping != nil else { return (escalation(node, in: "escalation"), .own) }
        guard let fields = fields(node, allowed: FormatKeys.escalationChoice, in: "escalation"),
            let policy = name(required(fields, "policy"), "escalation.policy")
        else { return ([], .own) }
        return ([], .policy(policy))
    }

    mutating func escalation(_ node: YAMLNode?, in what: String) -> [EscalationRung] {
        guard let items = list(node, what) else { return [] }
        return items.compactMap { (item) -> EscalationRung? in
            guard let fields = fields(item, allowed: FormatKeys.escalationRung, in: "escalation rung"),
                let after = duration(required(fields, "after"), "after"),
                let notify = stringList(required(fields, "notify"), "notify")
            else { return nil }
            if notify.isEmpty {
                error(
                    "empty-notify", "escalation rung at \(after.value.runbookDescription) notifies no one",
                    at: item.location)
            }
            for target in notify where EscalationRung.isTemplated(target.value) {
                do throws(ExpressionSyntaxError) {
                    _ = try Interpolation.parse(target.value)
                } catch {
                    self.error("interpolation", "notify \"\(target.value)\": \(error.message)", at: target.location)
                }
            }
            return EscalationRung(
                after: after.value, notify: notify, repeatEvery: duration(fields["repeat"], "repeat")?.value,
                template: name(fields["template"], "template"), when: condition(fields["when"], "when"),
                fallback: stringList(fields["fallback"], "fallback") ?? [], location: item.location)
        }
    }

    mutating func statusMessages(_ node: YAMLNode?) -> StatusMessages {
        guard let node, let fields = fields(node, allowed: FormatKeys.status, in: "status") else {
            return StatusMessages()
        }
        return StatusMessages(
            onStart: statusMessage(fields["on_start"], "status.on_start", defaultState: .investigating),
            onUpdate: statusMessage(
                fields["on_update"], "status.on_update", defaultState: .monitoring, needsEvery: true),
            onResolved: statusMessage(fields["on_resolved"], "status.on_resolved", defaultState: .resolved))
    }

    private mutating func statusMessage(
        _ node: YAMLNode?, _ what: String, defaultState: StatusMessage.State, needsEvery: Bool = false
    ) -> StatusMessage? {
        guard let node, let fields = fields(node, allowed: FormatKeys.statusMessage, in: what),
            let template = name(required(fields, "template"), "\(what).template")
        else { return nil }
        let every = needsEvery ? duration(required(fields, "every"), "\(what).every") : nil
        if !needsEvery, let location = fields.keyLocation("every") {
            error("every-misplaced", "every applies only to status.on_update", at: location)
        }
        if let every, every.value <= .zero {
            error("range", "\(what).every must be longer than 0s", at: every.location)
        }
        return StatusMessage(
            template: template,
            state: choice(fields["state"], "\(what).state", as: StatusMessage.State.self) ?? defaultState,
            every: every?.value, notify: stringList(fields["notify"], "\(what).notify") ?? [], location: node.location)
    }
}
