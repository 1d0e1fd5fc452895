import RunbookCore
import RunbookEngine
import RunbookLifecycle

/// Builds the page of one runbook: what it is, what it matches, its flow, steps, escalation
/// ladder and status messages rendered for a sample alert.
///
/// Sections come in the order an on-call engineer asks: "is this the right runbook", "what will
/// it do", "who gets paged when", "what do people see".
struct RunbookPage {
    var runbook: Runbook
    var catalog: Catalog
    var sources: DocSources
    var steps: StepDocs
    var sample: SampleRun?
    var path: String

    func build() -> DocPage {
        var blocks: [DocBlock] = [.heading(level: 1, [.text(runbook.metadata.displayTitle)])]
        blocks += MetadataDocs(metadata: runbook.metadata, sources: sources, file: runbook.file).blocks()
        blocks += runbook.isCheck ? scheduleSection() : matchSection()
        blocks.append(.heading(level: 2, [.text("Flow")], anchor: "flow"))
        blocks.append(
            .flow(
                start: runbook.isCheck
                    ? "tick of \(runbook.schedule?.value.text ?? "its schedule")" : "\(alertName ?? "alert") fires",
                steps: runbook.steps, resolvedWhen: runbook.resolvedWhen,
                escalation: EscalationPlan.allRungs(of: runbook, config: catalog.config),
                defaultInterval: catalog.config.defaults.interval, isCheck: runbook.isCheck))
        blocks.append(.heading(level: 2, [.text("Steps")], anchor: "steps"))
        blocks += steps.blocks(for: runbook.steps)
        blocks += steps.cleanupBlocks(onFailure: runbook.onFailure, finally: runbook.finally)
        blocks += steps.budgetBlocks(onBudgetExhausted: runbook.onBudgetExhausted)
        if runbook.isCheck {
            blocks.append(
                .paragraph([
                    .text("A check's run ends "), .code("completed"), .text(" when its steps end ("), .code("failed"),
                    .text(" if one failed): it opens no incident and pages nobody by a ladder; its "), .code("raise"),
                    .text(" steps hand problems to the runbooks that take them."),
                ]))
        } else if let resolvedWhen = runbook.resolvedWhen {
            blocks.append(
                .paragraph([
                    .strong("Resolved when"), .text(" "), .code(resolvedWhen.text), .text(" · "),
                    sources.cite(resolvedWhen.location),
                ]))
        } else {
            blocks.append(
                .paragraph([
                    .text("No "), .code("resolved_when"), .text(": the run stays open until the alert resolves."),
                ]))
        }
        blocks += sampleSection()
        blocks += escalationSection()
        blocks += statusSection()
        return DocPage(
            path: path, title: runbook.metadata.displayTitle + " — runbook", source: sources.path(runbook.file),
            blocks: blocks)
    }

    /// A check's "when it runs": its schedule, in words, with the rules every replica follows.
    private func scheduleSection() -> [DocBlock] {
        var facts: [[DocInline]] = []
        if let schedule = runbook.schedule {
            facts.append([
                .strong("schedule"), .text(" "), .code(schedule.value.text), .text(" · "),
                sources.cite(schedule.location),
            ])
        }
        if let concurrency = runbook.concurrency {
            facts.append([.strong("concurrency"), .text(" one run at a time per "), .code(concurrency.text)])
        }
        if let budget = runbook.budget {
            facts.append(StepDocs.budgetFact(budget, of: "runs of this check", sources: sources))
        }
        return [
            .heading(level: 2, [.text("When it runs")], anchor: "schedule"),
            .paragraph([
                .text(
                    "Under rbx serve, at every tick of its schedule (UTC), without an alert: one run per tick across "
                        + "replicas and restarts; ticks missed while no server ran are one run; a tick that finds the "
                        + "previous run still going is skipped.")
            ]),
            .list(facts),
        ]
    }

    /// The value of an `alertname="…"` matcher, which is how on-call people know a runbook.
    var alertName: String? {
        runbook.match.labels.first { $0.name == "alertname" && $0.op == .equal }?.value
    }

    private func matchSection() -> [DocBlock] {
        let match = runbook.match
        let ladder = catalog.config.severity
        var facts: [[DocInline]] = []
        facts.append(
            [.strong("sources"), .text(" ")]
                + (match.sources.isEmpty ? [.text("any")] : joined(match.sources.map(\.pattern))))
        if let severity = match.severity {
            let levels = ladder.levels.enumerated().filter { severity.matches(rank: $0.offset) }.map(\.element)
            facts.append([
                .strong("severity"), .text(" "), .code(severity.description),
                .text(" (" + levels.joined(separator: ", ") + ")"),
            ])
        } else {
            facts.append([.strong("severity"), .text(" any")])
        }
        facts.append(
            [.strong("labels"), .text(" ")]
                + (match.labels.isEmpty ? [.text("any")] : joined(match.labels.map(\.description))))
        facts.append([
            .strong("priority"), .text(" \(runbook.priority) (the highest priority wins when several runbooks match)"),
        ])
        if let concurrency = runbook.concurrency {
            facts.append([.strong("concurrency"), .text(" one run at a time per "), .code(concurrency.text)])
        }
        let cooldown = runbook.cooldown ?? catalog.config.defaults.cooldown
        let origin = runbook.cooldown == nil ? " (catalog default)" : ""
        facts.append(
            cooldown == .zero
                ? [
                    .strong("cooldown"),
                    .text(" none\(origin): the same alert may start a new run as soon as one ends"),
                ]
                : [
                    .strong("cooldown"),
                    .text(" \(cooldown.runbookDescription)\(origin) after a run before the same alert starts another"),
                ])
        if let budget = runbook.budget {
            facts.append(StepDocs.budgetFact(budget, of: "runs of this runbook", sources: sources))
        }
        if let schedule = runbook.schedule {
            facts.append([
                .strong("schedule"), .text(" "), .code(schedule.value.text),
                .text(": also runs under rbx serve at each tick, without an alert (no ladder then)"),
            ])
        }
        return [
            .heading(level: 2, [.text("What it matches")], anchor: "match"),
            .paragraph([
                .text("Alerts matching all of these (Alertmanager-style matchers) · "), sources.cite(match.location),
            ]),
            .list(facts),
        ]
    }

    /// The ladders the runbook can follow (``EscalationPlan``): its own, or its policy's, one
    /// section per group of severities that share one.
    private var plans: [(severities: [String?], plan: EscalationPlan)] {
        EscalationPlan.candidates(for: runbook, config: catalog.config)
    }

    private func escalationSection() -> [DocBlock] {
        var blocks: [DocBlock] = [.heading(level: 2, [.text("Escalation")], anchor: "escalation")]
        let plans = self.plans
        guard plans.contains(where: { !$0.plan.rungs.isEmpty }) else {
            return blocks + [.paragraph([.text("No escalation ladder: nobody is paged by this runbook.")])]
        }
        for (severities, plan) in plans {
            var intro: [DocInline] = []
            if plans.count > 1 {
                let names = severities.map { $0 ?? "unranked severity" }.joined(separator: ", ")
                intro += [.strong("Alerts at " + names + ":"), .text(" ")]
            }
            if let policy = plan.policy, let declared = catalog.config.escalation.policy(named: policy) {
                intro += [.text("escalation policy "), .code(policy), .text(" · "), sources.cite(declared.location)]
                intro.append(.text(plan.rungs.isEmpty ? " — pages nobody." : ". "))
            }
            if plan.rungs.isEmpty {
                if plans.count > 1, plan.policy == nil { intro.append(.text("no escalation ladder.")) }
                blocks.append(.paragraph(intro))
                continue
            }
            intro.append(.text("While the run is open and unacknowledged, counted from its start:"))
            blocks.append(.paragraph(intro))
            blocks.append(ladderTable(plan.rungs))
        }
        // Rungs usually share one template: show each distinct text once, naming its rungs.
        var texts: [(body: String, rungs: [String])] = []
        for rung in EscalationPlan.allRungs(of: runbook, config: catalog.config) {
            guard let message = sample?.escalations[rung.location] else { continue }
            let name = "T+\(rung.after.runbookDescription) (\(rung.notify.map(\.value).joined(separator: ", ")))"
            if let existing = texts.firstIndex(where: { $0.body == message.body }) {
                texts[existing].rungs.append(name)
            } else {
                texts.append((message.body, [name]))
            }
        }
        for text in texts {
            blocks.append(.heading(level: 3, [.text("Page at " + text.rungs.joined(separator: ", "))]))
            blocks.append(.message(text.body))
        }
        return blocks
    }

    private func ladderTable(_ rungs: [EscalationRung]) -> DocBlock {
        let conditional = rungs.contains { $0.when != nil }
        return .table(
            header: ["after", "notify", "repeat", "template"] + (conditional ? ["when"] : []) + ["source"],
            rows: rungs.map { rung in
                var notify = rung.notify.map(\.value).joined(separator: ", ")
                if !rung.fallback.isEmpty {
                    notify += " (else " + rung.fallback.map(\.value).joined(separator: ", ") + ")"
                }
                var row: [[DocInline]] = [
                    [.text(rung.after.runbookDescription)], [.text(notify)],
                    [.text(rung.repeatEvery?.runbookDescription ?? "—")],
                    rung.template.map { [.code($0.value)] } ?? [.text("(default text)")],
                ]
                if conditional { row.append(rung.when.map { [.code($0.text)] } ?? [.text("always")]) }
                row.append([sources.cite(rung.location)])
                return row
            })
    }

    private func sampleSection() -> [DocBlock] {
        var blocks: [DocBlock] = [.heading(level: 2, [.text("Sample alert")], anchor: "sample-alert")]
        guard let sample else {
            return blocks + [
                .paragraph([
                    .text(
                        "No example routes here and no alert could be made up that matches this runbook, so no messages are rendered."
                    )
                ])
            ]
        }
        if let example = sample.example {
            blocks.append(
                .paragraph([
                    .text("Messages below are rendered for the example alert "), .code(example),
                    .text(", which routes to this runbook:"),
                ]))
        } else {
            blocks.append(
                .paragraph([
                    .text("No file in "), .code(catalog.config.sampleAlertsDirectory + "/"),
                    .text(
                        " routes to this runbook, so messages below are rendered for an alert made up from its matchers:"
                    ),
                ]))
        }
        let alert = sample.alert
        blocks.append(
            .list([
                [
                    .strong("severity"),
                    .text(
                        " " + (alert.severity ?? "none")
                            + (alert.rawSeverity.map { $0 == alert.severity ? "" : " (\"\($0)\")" } ?? "")),
                ],
                [.strong("source"), .text(" " + alert.source)],
            ]))
        let labels = alert.labels.keys.sorted().map { LabelText.matcher($0, alert.labels[$0] ?? "") }
        blocks.append(.code(language: "text", text: labels.joined(separator: "\n")))
        blocks.append(
            .paragraph([
                .text("Rendered by drills in virtual time (run id "), .code(Rehearsal.runID), .text(", started "),
                .code(Rehearsal.startedAt),
                .text(
                    "): nothing is executed or sent. Start and resolution messages come from a drill where every step succeeds; updates and escalation pages from one where the run stays open."
                ),
            ]))
        return blocks
    }

    private func statusSection() -> [DocBlock] {
        var blocks: [DocBlock] = [.heading(level: 2, [.text("Status messages")], anchor: "status")]
        guard sample != nil else {
            return blocks + [.paragraph([.text("Not rendered: there is no sample alert.")])]
        }
        let status = plans.first?.plan.status ?? runbook.status
        let entries: [(String, StatusMessage?, RenderedMessage?)] = [
            ("on_start", status.onStart, sample?.onStart), ("on_update", status.onUpdate, sample?.onUpdate),
            ("on_resolved", status.onResolved, sample?.onResolved),
        ]
        if status.all.isEmpty { blocks.append(.paragraph([.text("The runbook posts no status messages.")])) }
        for (name, declared, rendered) in entries {
            guard let declared else { continue }
            blocks.append(.heading(level: 3, [.code(name)]))
            var line: [DocInline] = [
                .text("template "), .code(declared.template.value), .text(", state "), .code(declared.state.rawValue),
            ]
            if let every = declared.every { line.append(.text(", every \(every.runbookDescription)")) }
            if !declared.notify.isEmpty { line += [.text(", also to ")] + joined(declared.notify.map(\.value)) }
            blocks.append(.paragraph(line + [.text(" · "), sources.cite(declared.location)]))
            if let rendered {
                blocks.append(.message(rendered.body))
            } else {
                blocks.append(.paragraph([.text("(not reached in the drills)")]))
            }
        }
        return blocks
    }

    private func joined(_ values: [String]) -> [DocInline] {
        var result: [DocInline] = []
        for (index, value) in values.enumerated() {
            if index > 0 { result.append(.text(", ")) }
            result.append(.code(value))
        }
        return result
    }
}
