internal import RunbookYAML

extension CatalogLinter {
    /// Checks steps in order; returns the scope after the last step (for `resolved_when`).
    /// - Parameter seen: step ids already used by this runbook or playbook (its `steps` for its
    ///   `on_failure` and `finally`), with where.
    mutating func lint(
        steps: [Step], scope initial: ReferenceScope, seen: inout [String: SourceLocation]
    ) -> ReferenceScope {
        var scope = initial
        for index in steps.indices {
            let step = steps[index]
            let id = step.id.value
            if let first = seen[id] {
                error(
                    "duplicate-step", "step id \"\(id)\" is already used at line \(first.line)", at: step.id.location,
                    stepID: id)
            }
            seen[id] = step.id.location
            if let when = step.when {
                check(when, in: scope, stepID: id)
                if let path = GuardReachability.impossiblePath(in: when, after: steps[..<index]) {
                    warning(
                        "never-true",
                        "when \(when.text) can never hold here: step \"\(path.components[1])\" stops the run when it "
                            + "fails, so this step only runs after it succeeded; give that step continue_on_error: true "
                            + "to handle its failure here",
                        at: when.location(ofOffset: path.offset), stepID: id)
                }
            }
            for text in step.interpolatedTexts { check(text, in: scope, stepID: id) }
            checkDurationReferences(of: step)
            // From here on the step's own result is visible (`until: steps.verify.ok`).
            scope.steps[id] = declaredOutputs(of: step)
            if case .query = step.action { scope.queries.insert(id) }
            if let until = step.until {
                var polling = scope
                polling.currentStep = id
                let negated = until.expression.negatedPaths.first { polling.isText($0.components) }
                let considersFailure = until.considersFailure
                check(until, in: polling, stepID: id, besides: considersFailure ? nil : negated)
                if !considersFailure, let negated {
                    warning(
                        "until-after-failure",
                        "until holds when \(negated) is empty, as after a failed attempt; rbx keeps polling after a "
                            + "failed attempt unless until reads ok, status or exit_code; say which you mean: "
                            + "\"ok and not \(negated)\"",
                        at: until.location(ofOffset: negated.offset), stepID: id)
                }
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

    /// A playbook call's outputs are what the playbook returns (their types are known only when
    /// it runs); an unknown playbook's are unknown.
    private func declaredOutputs(of step: Step) -> [String: ExpressionType]? {
        if case .uses(let name, _) = step.action {
            guard let playbook = playbooksByName[name.value] else { return nil }
            return Dictionary(playbook.outputs.map { ($0.name.value, ExpressionType.unknown) }) { first, _ in first }
        }
        return Dictionary(step.outputs.map { ($0.name.value, $0.valueType) }) { first, _ in first }
    }

    /// A duration taken from `{{ }}` may only come from playbook inputs: a label or a step's
    /// output must not decide how long a step may run or wait.
    mutating func checkDurationReferences(of step: Step) {
        for text in step.durationTexts {
            for path in text.interpolation.paths where path.components.first != "inputs" {
                error(
                    "duration-reference",
                    "a duration can come from a playbook input ({{ inputs.grace }}), not from \(path): alert data and "
                        + "command output must not decide how long a step runs or waits",
                    at: text.location(of: path), stepID: step.id.value)
            }
        }
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
        case .query(let query):
            checkPrometheus(query, step: step)
        case .raise(let raise):
            checkRaise(raise, stepID: id)
        case .wait, .approval, .stop:
            break
        }
    }

    /// A raised alert goes through intake, which refuses label names the server does not accept
    /// and reads its severity against the ladder: both are known here for literal values.
    private mutating func checkRaise(_ raise: AlertRaise, stepID: String) {
        let rule = config.server.labelNames
        for entry in raise.labels + raise.annotations where !rule.accepts(entry.name.value) {
            error(
                "raise-label",
                "\"\(entry.name.value)\" is not a label name intake accepts (server.label_names: \(rule.rawValue))",
                at: entry.name.location, stepID: stepID)
        }
        if let severity = raise.severity, severity.interpolation.isLiteral,
            config.severity.level(of: severity.text) == nil
        {
            error(
                "raise-severity",
                "raise.severity \"\(severity.text)\" is not a level of the severity ladder ("
                    + config.severity.levels.joined(separator: ", ") + ")",
                at: severity.location, stepID: stepID)
        }
    }

    /// A query step must name a server of `rbx.yaml`, or need not when exactly one is declared.
    private mutating func checkPrometheus(_ query: PrometheusQuery, step: Step) {
        let id = step.id.value
        let names = config.prometheus.map(\.name.value)
        if let server = query.server {
            if !names.contains(server.value) {
                error(
                    "unknown-prometheus",
                    "unknown Prometheus \"\(server.value)\"" + Suggestion.didYouMean(server.value, in: names)
                        + (names.isEmpty ? "; declare it under prometheus: in rbx.yaml" : ""),
                    at: server.location, stepID: id)
            }
        } else if names.isEmpty {
            error(
                "unknown-prometheus",
                "query step \"\(id)\" has no Prometheus to ask; declare one under prometheus: in rbx.yaml "
                    + "(prometheus: {main: {url: \"http://127.0.0.1:9090\"}})",
                at: query.text.location, stepID: id)
        } else if names.count > 1 {
            error(
                "unknown-prometheus",
                "query step \"\(id)\" must say which Prometheus it asks: prometheus: one of "
                    + names.sorted().joined(separator: ", "),
                at: query.text.location, stepID: id)
        }
    }

    /// An interpolated value inside code that a program in argv re-parses (see ``CodeEvaluation``),
    /// and `run: [sh, -c, SCRIPT]`, which is a shell step by another name.
    private mutating func checkCodeEvaluation(_ argv: [InterpolatedText], stepID: String) {
        for finding in CodeEvaluation.findings(in: argv) {
            warning("code-evaluation", finding.message, at: argv[finding.index].location, stepID: stepID)
        }
        if let (shell, script) = CodeEvaluation.literalShellScript(in: argv) {
            warning(
                "shell-step",
                "step \"\(stepID)\" runs a shell script through \(shell) -c; prefer run: with an argv list, or "
                    + "shell:, which quotes interpolated values (the script itself is code)",
                at: argv[script].location, stepID: stepID)
        }
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

    /// - Parameter besides: a path another warning already covers, not warned about again.
    mutating func check(
        _ condition: Condition, in scope: ReferenceScope, stepID: String?, besides: ExpressionPath? = nil
    ) {
        let resolves = checkReferences(condition.expression, in: scope, stepID: stepID) {
            condition.location(ofOffset: $0)
        }
        // A label or an output alone asks "is it there?", which is how runbooks use it; an input
        // is a value the caller chose, and `stop_writes: "false"` must not read as true. Only
        // declared input types make a path text here (``ReferenceScope/isText(_:)``): without
        // any, as in every runbook, there is nothing to look for.
        for path in scope.inputTypes.isEmpty ? [] : condition.expression.testedForTruth
        where path.components.first == "inputs" && scope.isText(path.components) && path != besides {
            warning(
                "string-condition",
                "\(path) is a string input, and a condition on a string only asks whether it is empty: \"false\" "
                    + "and \"0\" count as true; declare the input type: boolean, or compare it (\(path) == \"yes\")",
                at: condition.location(ofOffset: path.offset), stepID: stepID)
        }
        for literal in condition.expression.regexLiterals {
            do {
                _ = try regexes.anchoredRegex(literal.pattern)
            } catch {
                self.error("regex", "\(error)", at: condition.location(ofOffset: literal.offset), stepID: stepID)
            }
        }
        if resolves {
            checkTypes(of: condition.expression, in: scope, stepID: stepID) { condition.location(ofOffset: $0) }
        }
    }

    mutating func check(_ text: InterpolatedText, in scope: ReferenceScope, stepID: String?) {
        for case .expression(let expression) in text.interpolation.segments {
            let location = { (offset: Int) in text.source.location(atOffset: offset, in: text.text) }
            if checkReferences(expression, in: scope, stepID: stepID, at: location) {
                checkTypes(of: expression, in: scope, stepID: stepID, at: location)
            }
        }
    }

    /// Reports every path of `expression` that cannot resolve in `scope`; returns whether all
    /// resolve, so the caller can go on to the types without looking the paths up again.
    private mutating func checkReferences(
        _ expression: Expression, in scope: ReferenceScope, stepID: String?, at location: (Int) -> SourceLocation
    ) -> Bool {
        var resolves = true
        for path in expression.paths {
            if let problem = scope.problem(with: path.components) {
                error("unknown-reference", problem, at: location(path.offset), stepID: stepID)
                resolves = false
            }
        }
        return resolves
    }

    /// Type errors (``ExpressionTypeChecker``), once the paths themselves are known to be valid.
    private mutating func checkTypes(
        of expression: Expression, in scope: ReferenceScope, stepID: String?, at location: (Int) -> SourceLocation
    ) {
        var checker = ExpressionTypeChecker(scope: scope)
        _ = checker.type(of: expression)
        for problem in checker.problems {
            error("type", problem.message, at: location(problem.offset), stepID: stepID)
        }
    }
}
