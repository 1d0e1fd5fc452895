internal import RunbookYAML

extension CatalogLinter {
    /// Checks steps in order; returns the scope after the last step (for `resolved_when`).
    mutating func lint(steps: [Step], scope initial: ReferenceScope) -> ReferenceScope {
        var scope = initial
        var seen: [String: SourceLocation] = [:]
        for step in steps {
            let id = step.id.value
            if let first = seen[id] {
                error(
                    "duplicate-step", "step id \"\(id)\" is already used at line \(first.line)", at: step.id.location,
                    stepID: id)
            }
            seen[id] = step.id.location
            if let when = step.when { check(when, in: scope, stepID: id) }
            for text in step.interpolatedTexts { check(text, in: scope, stepID: id) }
            // From here on the step's own result is visible (`until: steps.verify.ok`).
            scope.steps[id] = declaredOutputs(of: step)
            if let until = step.until {
                var polling = scope
                polling.currentStep = id
                check(until, in: polling, stepID: id)
                if step.timeout == nil {
                    warning(
                        "until-without-timeout",
                        "step \"\(id)\" polls until a condition without a timeout; it stops after defaults.step_timeout (\(config.defaults.stepTimeout.runbookDescription))",
                        at: until.location, stepID: id)
                }
            }
            lintAction(of: step)
        }
        return scope
    }

    private func declaredOutputs(of step: Step) -> Set<String>? {
        if case .uses = step.action { return nil }
        return Set(step.outputs.map(\.name.value))
    }

    private mutating func lintAction(of step: Step) {
        let id = step.id.value
        // A `uses:` step is bounded by the playbook's own steps, which this check covers.
        if step.kind == .remediation && step.timeout == nil && !step.callsPlaybook {
            error(
                "remediation-timeout",
                "remediation step \"\(id)\" has no timeout; say how long a change may take before it is killed",
                at: step.location, stepID: id)
        }
        switch step.action {
        case .shell(let script):
            warning(
                "shell-step",
                "step \"\(id)\" runs a shell script; prefer run: with an argv list (interpolated values are shell-quoted, but the script itself is code)",
                at: script.location, stepID: id)
        case .run(let argv):
            checkCodeEvaluation(argv, stepID: id)
        case .uses(let playbookName, let inputs):
            checkPlaybookCall(playbookName, inputs: inputs, stepID: id)
        case .notify(let targets, let template, _):
            for target in targets { checkNotifier(target) }
            if let template { checkTemplate(template) }
        case .wait, .approval:
            break
        }
    }

    /// Programs that re-parse an argument as code undo the safety of argv: an alert label
    /// interpolated into the script of `sh -c`, into `ssh host CMD` or `python -c` can still
    /// inject a command. Values passed after the script (`sh -c 'echo "$0"' "{{…}}"`) are
    /// positional parameters, not code, and are the safe way to do it.
    private static let codeFlags: [String: Set<String>] = [
        "sh": ["-c"], "bash": ["-c"], "zsh": ["-c"], "dash": ["-c"], "python": ["-c"], "python3": ["-c"],
        "perl": ["-e", "-E"], "ruby": ["-e"], "node": ["-e", "--eval"],
    ]

    private mutating func checkCodeEvaluation(_ argv: [InterpolatedText], stepID: String) {
        guard argv.dropFirst().contains(where: { !$0.interpolation.isLiteral }) else { return }
        guard let program = argv.first?.text.split(separator: "/").last.map(String.init) else { return }
        let tainted: InterpolatedText?
        if program == "ssh" || program == "eval" {
            tainted = argv.dropFirst().first { !$0.interpolation.isLiteral }
        } else if let flags = Self.codeFlags[program]
            ?? (program == "kubectl" && argv.contains { $0.text == "exec" } ? ["-c"] : nil),
            let flag = argv.firstIndex(where: { flags.contains($0.text) }), flag + 1 < argv.count
        {
            tainted = argv[flag + 1].interpolation.isLiteral ? nil : argv[flag + 1]
        } else {
            tainted = nil
        }
        guard let tainted else { return }
        warning(
            "code-evaluation",
            "\(program) re-parses this argument as code, and it interpolates a value; an alert label could inject a command (pass values as positional parameters after the script instead)",
            at: tainted.location, stepID: stepID)
    }

    private mutating func checkPlaybookCall(_ name: Located<String>, inputs: [StepInput], stepID: String) {
        guard let playbook = playbooksByName[name.value] else {
            error(
                "unknown-playbook",
                "unknown playbook \"\(name.value)\""
                    + Suggestion.didYouMean(name.value, in: playbooksByName.keys.sorted()),
                at: name.location, stepID: stepID)
            return
        }
        let given = Set(inputs.map(\.name.value))
        for input in playbook.inputs
        where input.required && input.defaultValue == nil && !given.contains(input.name.value) {
            error(
                "missing-input",
                "playbook \"\(playbook.name)\" requires input \"\(input.name.value)\"; add it under with:",
                at: name.location, stepID: stepID)
        }
        for value in inputs {
            guard let input = playbook.input(named: value.name.value) else {
                error(
                    "unknown-input",
                    "playbook \"\(playbook.name)\" has no input \"\(value.name.value)\""
                        + Suggestion.didYouMean(value.name.value, in: playbook.inputs.map(\.name.value)),
                    at: value.name.location, stepID: stepID)
                continue
            }
            // A literal value can be checked now; an interpolated one is checked at run time.
            if value.value.interpolation.isLiteral, let problem = input.violation(for: value.value.text) {
                error("input-value", problem, at: value.value.location, stepID: stepID)
            }
        }
    }

    mutating func check(_ condition: Condition, in scope: ReferenceScope, stepID: String?) {
        for path in condition.expression.paths {
            if let problem = scope.problem(with: path.components) {
                error("unknown-reference", problem, at: condition.location(ofOffset: path.offset), stepID: stepID)
            }
        }
        for literal in condition.expression.regexLiterals {
            do {
                _ = try regexes.anchoredRegex(literal.pattern)
            } catch {
                self.error("regex", "\(error)", at: condition.location(ofOffset: literal.offset), stepID: stepID)
            }
        }
    }

    mutating func check(_ text: InterpolatedText, in scope: ReferenceScope, stepID: String?) {
        for segment in text.interpolation.segments {
            guard case .path(let path) = segment else { continue }
            if let problem = scope.problem(with: path.components) {
                error("unknown-reference", problem, at: text.location(of: path), stepID: stepID)
            }
        }
    }
}
