internal import RunbookYAML

/// The checks that need more than one file: references between files, duplicates, ordering
/// and risk. Decoding has already checked each file's shape and types.
///
/// Runbooks are linted one at a time against the shared tables (notifiers, templates,
/// playbooks), so the loader can lint each runbook in the task that decoded it and need not
/// keep thousands of runbooks in memory just to lint them. Each task makes its own linter.
struct CatalogLinter {
    let config: CatalogConfig
    var diagnostics: [Diagnostic] = []
    let notifierNames: Set<String>
    let templateNames: Set<String>
    let playbooks: [Playbook]
    let playbooksByName: [String: Playbook]
    let regexes: RegexCache
    /// `env.allow` as a set, made once for every scope this linter builds.
    let envAllow: Set<String>

    init(config: CatalogConfig, playbooks: [Playbook], templateNames: Set<String>, regexes: RegexCache) {
        self.config = config
        self.regexes = regexes
        self.playbooks = playbooks
        self.templateNames = templateNames
        notifierNames = Set(config.notifiers.map(\.name.value))
        envAllow = Set(config.envAllow)
        var byName: [String: Playbook] = [:]
        for playbook in playbooks where byName[playbook.name] == nil {
            byName[playbook.name] = playbook
        }
        playbooksByName = byName
    }

    /// The checks across the whole catalog, once all runbooks have been linted.
    mutating func lintCatalogWide(
        runbookNames: [Located<String>], handoffs: [(from: String, to: Located<String>)] = [],
        templates: [MessageTemplate]
    ) -> [Diagnostic] {
        checkDuplicateNames(runbookNames, what: "runbook")
        checkDuplicateNames(playbooks.map(\.metadata.name), what: "playbook")
        checkDuplicateNames(config.notifiers.map(\.name), what: "notifier")
        if let fallback = config.delivery.fallback { checkNotifier(fallback) }
        lintEscalationSettings()
        lintHandoffs(handoffs, runbookNames: runbookNames.map(\.value))
        for playbook in playbooks { lint(playbook) }
        checkPlaybookCycles()
        for template in templates { lint(template) }
        return diagnostics
    }

    /// Lints one runbook and returns (and forgets) its findings.
    mutating func lintRunbook(_ runbook: Runbook) -> [Diagnostic] {
        lint(runbook)
        defer { diagnostics = [] }
        return diagnostics
    }

    mutating func error(_ code: String, _ message: String, at location: SourceLocation, stepID: String? = nil) {
        diagnostics.append(.error(code, message, at: location, stepID: stepID))
    }

    mutating func warning(_ code: String, _ message: String, at location: SourceLocation, stepID: String? = nil) {
        diagnostics.append(.warning(code, message, at: location, stepID: stepID))
    }

    private mutating func checkDuplicateNames(_ names: [Located<String>], what: String) {
        var first: [String: SourceLocation] = [:]
        for name in names {
            if let earlier = first[name.value] {
                error("duplicate-name", "\(what) \"\(name.value)\" is already defined at \(earlier)", at: name.location)
            } else {
                first[name.value] = name.location
            }
        }
    }

    private mutating func lint(_ runbook: Runbook) {
        let lists = [runbook.steps, runbook.onFailure, runbook.onBudgetExhausted, runbook.finally]
        let scope = ReferenceScope(
            owner: runbook.isCheck ? .check : .runbook, steps: [:], allSteps: Self.stepIDs(lists), inputs: [],
            envAllow: envAllow)
        var seen: [String: SourceLocation] = [:]
        seen.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        let finalScope = lint(steps: runbook.steps, scope: scope, seen: &seen)
        let afterFailure = lint(steps: runbook.onFailure, scope: finalScope, seen: &seen)
        let afterExhausted = lint(steps: runbook.onBudgetExhausted, scope: afterFailure, seen: &seen)
        _ = lint(steps: runbook.finally, scope: afterExhausted, seen: &seen)
        lintStops(in: runbook)
        lintBudgets(of: runbook, scope: scope)
        if let cooldownKey = runbook.cooldownKey {
            check(cooldownKey, in: scope, stepID: nil)
        }
        if let concurrency = runbook.concurrency {
            check(concurrency, in: scope, stepID: nil)
        }
        if let resolvedWhen = runbook.resolvedWhen {
            check(resolvedWhen, in: finalScope, stepID: nil)
        }
        lintEscalation(runbook.escalation)
        if case .policy(let name) = runbook.escalationChoice { checkPolicy(name) }
        for message in runbook.status.all {
            checkTemplate(message.template)
            for target in message.notify { checkNotifier(target) }
        }
    }

    /// `on_failure` then `finally`: each sees every step before it (a step that did not run is
    /// `null`), ids unique across all three lists. Returns the scope after the last.
    @discardableResult
    private mutating func lintCleanup(
        onFailure: [Step], finally: [Step], after scope: ReferenceScope, seen: inout [String: SourceLocation]
    ) -> ReferenceScope {
        let afterFailure = lint(steps: onFailure, scope: scope, seen: &seen)
        return lint(steps: finally, scope: afterFailure, seen: &seen)
    }

    /// The ids of the steps in `lists`, read in place: `Runbook.allSteps` would copy every step
    /// into a new array first, and `for step in list` copies each step to read one field (a step
    /// is several hundred bytes), so the steps are reached by index.
    static func stepIDs(_ lists: [[Step]]) -> Set<String> {
        var ids = Set<String>(minimumCapacity: lists.reduce(0) { $0 + $1.count })
        for list in lists {
            for index in list.indices { ids.insert(list[index].id.value) }
        }
        return ids
    }

    /// `stop` belongs to a runbook's steps; after an unconditional one nothing runs.
    private mutating func lintStops(in runbook: Runbook) {
        for list in [runbook.onFailure, runbook.finally] {
            for step in list where step.kind == .stop {
                error(
                    "stop-placement", "stop ends a run's steps; in on_failure or finally there is nothing left to stop",
                    at: step.location, stepID: step.id.value)
            }
        }
        for step in runbook.onBudgetExhausted where step.kind == .stop {
            error(
                "stop-placement",
                "stop ends a run's steps; in on_budget_exhausted they have already ended (the budget stopped them)",
                at: step.location, stepID: step.id.value)
        }
        // By index, like ``stepIDs(_:)``: `firstIndex(where:)` hands the closure a copy of each step.
        let steps = runbook.steps
        if let index = steps.indices.first(where: { steps[$0].kind == .stop && steps[$0].when == nil }),
            index + 1 < steps.count
        {
            let next = steps[index + 1]
            warning(
                "unreachable",
                "step \"\(next.id.value)\" never runs: step \"\(steps[index].id.value)\" stops the run "
                    + "unconditionally; give the stop a when, or move these steps to finally",
                at: next.location, stepID: next.id.value)
        }
    }

    private mutating func lint(_ playbook: Playbook) {
        var scope = ReferenceScope(
            owner: .playbook, steps: [:], allSteps: Set(playbook.allSteps.map(\.id.value)),
            inputs: Set(playbook.inputs.map(\.name.value)), envAllow: envAllow)
        scope.inputTypes = Dictionary(playbook.inputs.map { ($0.name.value, $0.type) }) { first, _ in first }
        var seen: [String: SourceLocation] = [:]
        let finalScope = lint(steps: playbook.steps, scope: scope, seen: &seen)
        let lastScope = lintCleanup(
            onFailure: playbook.onFailure, finally: playbook.finally, after: finalScope, seen: &seen)
        for output in playbook.outputs { check(output.value, in: lastScope, stepID: nil) }
        for step in playbook.allSteps {
            if let budget = step.budget {
                error(
                    "budget-placement",
                    "a playbook's steps are counted by the step that calls it: put the budget on the uses: step",
                    at: budget.location, stepID: step.id.value)
            }
        }
        for step in playbook.allSteps where step.kind == .stop {
            error(
                "stop-placement",
                "a playbook cannot stop the run that calls it; return an output and let the runbook stop",
                at: step.location, stepID: step.id.value)
        }
        var inputNames = Set<String>()
        for input in playbook.inputs where !inputNames.insert(input.name.value).inserted {
            error("duplicate-name", "input \"\(input.name.value)\" is declared twice", at: input.name.location)
        }
    }

    mutating func checkNotifier(_ name: Located<String>) {
        guard !notifierNames.contains(name.value) else { return }
        let hint =
            notifierNames.isEmpty
            ? "; declare it under notifiers: in rbx.yaml"
            : Suggestion.didYouMean(name.value, in: notifierNames.sorted())
        error("unknown-notifier", "unknown notifier \"\(name.value)\"" + hint, at: name.location)
    }

    mutating func checkTemplate(_ name: Located<String>) {
        guard !templateNames.contains(name.value) else { return }
        error(
            "unknown-template",
            "unknown template \"\(name.value)\"; expected templates/\(name.value).mustache"
                + Suggestion.didYouMean(name.value, in: templateNames.sorted()),
            at: name.location)
    }

    private mutating func lint(_ template: MessageTemplate) {
        for tag in template.unescapedAlertTags {
            warning(
                "template-unescaped",
                "{{{\(tag.name)}}} outputs alert data without escaping; an alert sender could put markup into "
                    + "status pages and chat messages: write {{\(tag.name)}}",
                at: SourceLocation(file: template.file, position: tag.position))
        }
        for tag in template.topLevelTagNames {
            let root = String(tag.name.prefix { $0 != "." })
            if !MessageTemplate.roots.contains(root) {
                error(
                    "template-reference",
                    "template tag \"\(tag.name)\" starts from \"\(root)\"; templates see alert, run, runbook and steps"
                        + Suggestion.didYouMean(root, in: MessageTemplate.roots.sorted()),
                    at: SourceLocation(file: template.file, position: tag.position))
            }
        }
    }

    /// Playbooks may call playbooks; a cycle would recurse for ever at run time.
    private mutating func checkPlaybookCycles() {
        var state: [String: Bool] = [:]  // false: on the current path, true: done
        func visit(_ name: String, path: [String], linter: inout CatalogLinter) {
            guard let playbook = linter.playbooksByName[name] else { return }
            if let done = state[name] {
                if !done {
                    let cycle = (path.drop { $0 != name } + [name]).joined(separator: " -> ")
                    linter.error(
                        "playbook-cycle", "playbooks call each other in a cycle: \(cycle)",
                        at: playbook.metadata.name.location)
                }
                return
            }
            state[name] = false
            for step in playbook.allSteps {
                if case .uses(let callee, _) = step.action { visit(callee.value, path: path + [name], linter: &linter) }
            }
            state[name] = true
        }
        for playbook in playbooks { visit(playbook.name, path: [], linter: &self) }
    }
}
