internal import RunbookYAML

/// The checks that need the whole catalog: references between files, duplicates, ordering
/// and risk. Decoding has already checked each file's shape and types.
struct CatalogLinter {
    let catalog: Catalog
    var diagnostics: [Diagnostic] = []
    let notifierNames: Set<String>
    let templateNames: Set<String>
    let playbooksByName: [String: Playbook]

    init(catalog: Catalog) {
        self.catalog = catalog
        notifierNames = Set(catalog.config.notifiers.map(\.name.value))
        templateNames = Set(catalog.templates.map(\.name))
        var playbooks: [String: Playbook] = [:]
        for playbook in catalog.playbooks where playbooks[playbook.name] == nil {
            playbooks[playbook.name] = playbook
        }
        playbooksByName = playbooks
    }

    mutating func lint() -> [Diagnostic] {
        checkDuplicateNames(catalog.runbooks.map(\.metadata.name), what: "runbook")
        checkDuplicateNames(catalog.playbooks.map(\.metadata.name), what: "playbook")
        checkDuplicateNames(catalog.config.notifiers.map(\.name), what: "notifier")
        for runbook in catalog.runbooks { lint(runbook) }
        for playbook in catalog.playbooks { lint(playbook) }
        checkPlaybookCycles()
        for template in catalog.templates { lint(template) }
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
        let scope = ReferenceScope(
            owner: .runbook, steps: [:], allSteps: Set(runbook.steps.map(\.id.value)), inputs: [],
            envAllow: Set(catalog.config.envAllow))
        let finalScope = lint(steps: runbook.steps, scope: scope)
        if let concurrency = runbook.concurrency {
            check(concurrency, in: scope, stepID: nil)
        }
        if let resolvedWhen = runbook.resolvedWhen {
            check(resolvedWhen, in: finalScope, stepID: nil)
        }
        lintEscalation(runbook.escalation)
        for message in runbook.status.all {
            checkTemplate(message.template)
            for target in message.notify { checkNotifier(target) }
        }
    }

    private mutating func lint(_ playbook: Playbook) {
        let scope = ReferenceScope(
            owner: .playbook, steps: [:], allSteps: Set(playbook.steps.map(\.id.value)),
            inputs: Set(playbook.inputs.map(\.name.value)), envAllow: Set(catalog.config.envAllow))
        _ = lint(steps: playbook.steps, scope: scope)
        var seen = Set<String>()
        for input in playbook.inputs where !seen.insert(input.name.value).inserted {
            error("duplicate-name", "input \"\(input.name.value)\" is declared twice", at: input.name.location)
        }
    }

    private mutating func lintEscalation(_ rungs: [EscalationRung]) {
        var previous: EscalationRung?
        for rung in rungs {
            if let previous, rung.after <= previous.after {
                error(
                    "escalation-order",
                    "escalation rung after \(rung.after.runbookDescription) comes after a rung at \(previous.after.runbookDescription); order the ladder by time",
                    at: rung.location)
            }
            if let repeatEvery = rung.repeatEvery, repeatEvery <= .zero {
                error("range", "repeat must be longer than 0s", at: rung.location)
            }
            for target in rung.notify { checkNotifier(target) }
            if let template = rung.template { checkTemplate(template) }
            previous = rung
        }
    }

    mutating func checkNotifier(_ name: Located<String>) {
        guard !notifierNames.contains(name.value) else { return }
        let hint =
            notifierNames.isEmpty
            ? "; declare it under notifiers: in rbx.yaml" : Suggestion.didYouMean(name.value, in: notifierNames.sorted())
        error("unknown-notifier", "unknown notifier \"\(name.value)\"" + hint, at: name.location)
    }

    mutating func checkTemplate(_ name: Located<String>) {
        guard !templateNames.contains(name.value) else { return }
        error(
            "unknown-template",
            "unknown template \"\(name.value)\"; expected templates/\(name.value).mustache" + Suggestion.didYouMean(name.value, in: templateNames.sorted()),
            at: name.location)
    }

    private mutating func lint(_ template: MessageTemplate) {
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
                    linter.error("playbook-cycle", "playbooks call each other in a cycle: \(cycle)", at: playbook.metadata.name.location)
                }
                return
            }
            state[name] = false
            for step in playbook.steps {
                if case .uses(let callee, _) = step.action { visit(callee.value, path: path + [name], linter: &linter) }
            }
            state[name] = true
        }
        for playbook in catalog.playbooks { visit(playbook.name, path: [], linter: &self) }
    }
}
