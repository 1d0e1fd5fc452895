import RunbookCore

/// The documentation of a list of steps, shared by runbook and playbook pages.
///
/// Each step says what it does (argv exactly as rbx will pass it, the script, the playbook
/// call with its inputs, who is notified or asked), when it runs and how it fails, with the
/// line of YAML it comes from. Defaults that apply because the author wrote nothing are shown
/// and marked as the catalog's, since "how long until this gives up" is the question.
struct StepDocs {
    var sources: DocSources
    var catalog: Catalog
    /// Playbook names that have a page of their own, for links.
    var playbookPages: [String: String]

    func blocks(for steps: [Step]) -> [DocBlock] {
        steps.enumerated().flatMap { blocks(for: $1, number: $0 + 1) }
    }

    /// The `on_failure` and `finally` steps, each list under its own heading.
    func cleanupBlocks(onFailure: [Step], finally: [Step]) -> [DocBlock] {
        var blocks: [DocBlock] = []
        if !onFailure.isEmpty {
            blocks.append(.heading(level: 2, [.text("On failure")], anchor: "on-failure"))
            blocks.append(.paragraph([.text("When a step fails and stops the steps, these run, each to its end:")]))
            blocks += self.blocks(for: onFailure)
        }
        if !finally.isEmpty {
            blocks.append(.heading(level: 2, [.text("Finally")], anchor: "finally"))
            blocks.append(
                .paragraph([.text("After the steps (and on_failure), whatever happened, these run, each to its end:")]))
            blocks += self.blocks(for: finally)
        }
        return blocks
    }

    /// `on_budget_exhausted`, under its own heading.
    func budgetBlocks(onBudgetExhausted: [Step]) -> [DocBlock] {
        guard !onBudgetExhausted.isEmpty else { return [] }
        return [
            .heading(level: 2, [.text("On budget exhausted")], anchor: "on-budget-exhausted"),
            .paragraph([
                .text("When a budget is exhausted, these run instead of on_failure (and no rung is brought forward):")
            ]),
        ] + blocks(for: onBudgetExhausted)
    }

    /// `budget 3 per 1h by {{alert.labels.service}}` and what happens when it is spent.
    static func budgetFact(_ budget: Budget, of what: String, sources: DocSources) -> [DocInline] {
        var fact: [DocInline] = [
            .strong("budget"), .text(" at most \(budget.max) \(what) per \(budget.per.runbookDescription)"),
        ]
        if let key = budget.key { fact += [.text(" for each "), .code(key.text)] }
        fact += [
            .text(", counted across runs; when spent it is not run and escalation starts at once · "),
            sources.cite(budget.location),
        ]
        return fact
    }

    func blocks(for step: Step, number: Int) -> [DocBlock] {
        var title: [DocInline] = [.text("\(number). "), .code(step.id.value)]
        if let name = step.name { title.append(.text(" — " + name)) }
        var blocks: [DocBlock] = [.heading(level: 3, title, anchor: "step-" + step.id.value)]
        var kind: [DocInline] = [.strong(step.kind.rawValue), .text(" step")]
        if step.kind == .diagnostic, step.safe {
            kind.append(.text(", marked safe (may really run in a drill with --run-diagnostics)"))
        }
        blocks.append(.paragraph(kind + [.text(" · "), sources.cite(step.location)]))
        if let description = step.description {
            blocks.append(.lines(description.split(separator: "\n").map { .prose(String($0)) }))
        }
        blocks += action(step)
        let facts = facts(step)
        if !facts.isEmpty { blocks.append(.list(facts)) }
        return blocks
    }

    /// The runbook a raised alert goes to, when its name, severity and labels are written out.
    private func raisedRoute(_ raise: AlertRaise) -> String? {
        guard raise.texts.allSatisfy(\.interpolation.isLiteral) else { return nil }
        // Decoded as intake decodes what the engine sends, so docs route it as a run would.
        let body = RaisedAlertBody(
            raise, severityLabel: catalog.config.severityLabel, startsAt: "1970-01-01T00:00:00Z",
            endsAt: "1970-01-01T00:00:00Z", render: \.text)
        guard let alert = try? AlertDecoder.decode(body.bytes, config: catalog.config).first else { return nil }
        return RunbookMatcher.selectedRunbook(for: alert, in: catalog)?.name
    }

    private func action(_ step: Step) -> [DocBlock] {
        switch step.action {
        case .run(let argv):
            return [
                .paragraph([.strong("Runs"), .text(" this argv (each element passed as is, never through a shell):")]),
                .code(
                    language: "json", text: "[" + argv.map { JSONString.quoted($0.shown) }.joined(separator: ", ") + "]"
                ),
            ]
        case .shell(let script):
            return [
                .paragraph([.strong("Runs a shell script"), .text(" (every interpolated value is shell-quoted):")]),
                .code(language: "sh", text: script.shown),
            ]
        case .uses(let name, let inputs):
            var blocks: [DocBlock] = []
            let playbook = catalog.playbook(named: name.value)
            var call: [DocInline] = [.strong("Calls playbook"), .text(" ")]
            call.append(playbookPages[name.value].map { .link([.code(name.value)], .page($0)) } ?? .code(name.value))
            if let title = playbook?.metadata.title { call.append(.text(" — " + title)) }
            blocks.append(.paragraph(call))
            if !inputs.isEmpty {
                blocks.append(
                    .table(
                        header: ["input (with:)", "value", "source"],
                        rows: inputs.map { input in
                            [[.code(input.name.value)], [.code(input.value.text)], [sources.cite(input.name.location)]]
                        }))
            }
            if let playbook {
                var chain: [DocInline] = [.text("Its steps: ")]
                for (index, inner) in playbook.steps.enumerated() {
                    if index > 0 { chain.append(.text(" → ")) }
                    chain.append(.code(inner.id.value))
                    if inner.kind == .remediation || inner.kind == .approval {
                        chain.append(.text(" (\(inner.kind.rawValue))"))
                    }
                }
                blocks.append(.paragraph(chain))
            }
            return blocks
        case .notify(let targets, let template, let message):
            var line: [DocInline] = [.strong("Notifies"), .text(" ")]
            line += list(targets.map(\.value))
            if let template { line += [.text(" with template "), .code(template.value)] }
            var blocks: [DocBlock] = [.paragraph(line)]
            if let message { blocks.append(.code(language: "text", text: message.text)) }
            return blocks
        case .wait(let duration):
            return [.paragraph([.strong("Waits"), .text(" \(duration.runbookDescription).")])]
        case .query(let query):
            let server = catalog.config.prometheusServer(for: query)
            var line: [DocInline] = [.strong("Asks Prometheus"), .text(" ")]
            line.append(.code(server?.name.value ?? query.server?.value ?? "?"))
            if let server { line += [.text(" ("), .code(server.url), .text(")")] }
            line.append(
                .text(
                    " this instant query (values from {{ }} escaped inside quotes); its result is steps."
                        + "\(step.id.value).value and .samples:"))
            return [.paragraph(line), .code(language: "promql", text: query.text.shown)]
        case .raise(let raise):
            var line: [DocInline] = [
                .strong(raise.resolve ? "Resolves alert" : "Raises alert"), .text(" "), .code(raise.name.text),
                .text(" into rbx's own intake, deduplicated, silenced and routed like any posted alert"),
            ]
            if let route = raisedRoute(raise) {
                line += [.text("; runbook "), .code(route), .text(" takes it")]
            }
            line.append(.text("."))
            var rows: [[[DocInline]]] = []
            if let severity = raise.severity { rows.append([[.code("severity")], [.code(severity.text)]]) }
            rows += raise.labels.map { [[.code($0.name.value)], [.code($0.value.text)]] }
            rows += raise.annotations.map { [[.code("annotation " + $0.name.value)], [.code($0.value.text)]] }
            var blocks: [DocBlock] = [.paragraph(line)]
            if !rows.isEmpty { blocks.append(.table(header: ["label", "value"], rows: rows)) }
            if !raise.resolve {
                let expiry =
                    raise.expires.map { "\($0.runbookDescription) after it is raised" }
                    ?? "three intervals of the schedule after it is raised (at least 5m; 5m in a run no schedule started)"
                blocks.append(.paragraph([.text("It resolves by itself \(expiry), unless raised again.")]))
            }
            return blocks
        case .stop(let reason, let handoff):
            var blocks: [DocBlock] = [
                .paragraph([
                    .strong("Stops the run"),
                    .text(": the steps after it do not run, finally does, and the run ends stopped (not resolved):"),
                ]),
                .code(language: "text", text: reason.text),
            ]
            if let handoff {
                blocks.append(
                    .paragraph([
                        .strong("Hands off"), .text(" to runbook "), .code(handoff.value),
                        .text(", which then starts for the same alert with its own steps and escalation."),
                    ]))
            }
            return blocks
        case .approval(let message, let approvers):
            var line: [DocInline] = [.strong("Asks for approval")]
            if !approvers.isEmpty { line += [.text(" from ")] + list(approvers) }
            line.append(
                .text(
                    "; with no answer before the timeout it counts as \(step.onTimeout == .approve ? "approved" : "denied")."
                ))
            var blocks: [DocBlock] = [.paragraph(line)]
            if let message { blocks.append(.code(language: "text", text: message.text)) }
            return blocks
        }
    }

    private func facts(_ step: Step) -> [[DocInline]] {
        let defaults = catalog.config.defaults
        var facts: [[DocInline]] = []
        if let workdir = step.workdir { facts.append([.strong("workdir"), .text(" "), .code(workdir.text)]) }
        if let when = step.when {
            facts.append([
                .strong("when"), .text(" "), .code(when.text), .text(" — skipped otherwise · "),
                sources.cite(when.location),
            ])
        }
        if let until = step.until {
            let every =
                step.interval.map(\.runbookDescription) ?? "\(defaults.interval.runbookDescription) (catalog default)"
            facts.append([
                .strong("until"), .text(" "), .code(until.text), .text(", rechecked every \(every) · "),
                sources.cite(until.location),
            ])
        }
        let runsSomething = step.kind == .diagnostic || step.kind == .remediation
        if let timeout = step.timeout {
            facts.append([.strong("timeout"), .text(" \(timeout.value.runbookDescription)")])
        } else if runsSomething {
            facts.append([.strong("timeout"), .text(" \(defaults.stepTimeout.runbookDescription) (catalog default)")])
        }
        if let budget = step.budget { facts.append(Self.budgetFact(budget, of: "runs of this step", sources: sources)) }
        if step.retries > 0 {
            let backoff =
                step.backoff.map(\.runbookDescription) ?? "\(defaults.backoff.runbookDescription) (catalog default)"
            facts.append([.strong("retries"), .text(" \(step.retries), backoff \(backoff)")])
        }
        if case .wait = step.action { return facts }
        facts.append(
            step.continueOnError
                ? [.strong("continue_on_error"), .text(" — a failure is recorded and the run goes on")]
                : [.strong(step.kind == .approval ? "if denied" : "on failure"), .text(" the run stops and fails")])
        if runsSomething || step.callsPlaybook {
            facts.append([
                .strong("idempotent"),
                .text(
                    step.idempotent ? " yes (safe to run again after a takeover)" : " no (not re-run after a takeover)"),
            ])
        }
        if step.allowLeadingDash {
            facts.append([
                .strong("allow_leading_dash"), .text(" — interpolated arguments may begin with - (read as options)"),
            ])
        }
        for variable in step.env {
            facts.append([.strong("env"), .text(" "), .code(variable.name.value + "=" + variable.value.text)])
        }
        for output in step.outputs {
            facts.append([
                .strong("output"), .text(" "), .code(output.name.value), .text(" from "), .code(output.written),
            ])
        }
        return facts
    }

    private func list(_ names: [String]) -> [DocInline] {
        var result: [DocInline] = []
        for (index, name) in names.enumerated() {
            if index > 0 { result.append(.text(", ")) }
            result.append(.code(name))
        }
        return result
    }

}
