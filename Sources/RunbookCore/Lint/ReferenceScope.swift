/// What a `{{…}}` or a condition may refer to at one point of a runbook or playbook.
///
/// A reference is only valid to a step that ran before (conditions on the step itself may
/// see its own result: `until: steps.verify.ok`), to a declared input or output, or to an
/// allow-listed environment variable; anything else would silently be null at run time.
struct ReferenceScope {
    /// A check is a runbook without an alert of its own: its tick's alert carries only a name.
    enum Owner { case runbook, check, playbook }

    /// What a check's tick alert has (``ScheduleTick/alert``): the rest is always empty.
    static let tickAlertFields: Set<String> = [
        "name", "fingerprint", "source", "status", "firing", "resolved", "startsAt",
    ]

    var owner: Owner
    /// Steps visible here, by id, with their declared outputs' types (nil: unknown, e.g. `uses`).
    var steps: [String: [String: ExpressionType]?]
    var allSteps: Set<String>
    /// Visible steps that are `query:` steps: they have `value`, `samples` and `result_type`.
    var queries: Set<String> = []
    var inputs: Set<String>
    /// Declared input types, for the `string-condition` check.
    var inputTypes: [String: PlaybookInput.ValueType] = [:]
    var envAllow: Set<String>
    /// In an `until`, the step being polled: its own result may be named without the
    /// `steps.<id>.` prefix (`until: ok`, `until: outputs.used_percent < 80`).
    var currentStep: String?

    static let alertFields = ReferenceFields.alert
    static let stepFields = ReferenceFields.step
    static let runFields = ReferenceFields.run
    static let roots = ReferenceFields.roots

    /// Whether the path names text (a label, an annotation, an output, an environment variable,
    /// a string input): as a condition, such a value only says whether it is empty.
    func isText(_ components: [String]) -> Bool {
        var path = components[...]
        if let currentStep, let root = path.first, Self.stepFields.contains(root) {
            path = (["steps", currentStep] + components)[...]
        }
        switch path.first {
        case "alert": return ["labels", "annotations"].contains(path.dropFirst().first ?? "")
        case "steps": return ["outputs", "stdout", "stderr"].contains(path.dropFirst(2).first ?? "")
        case "env": return true
        case "inputs":
            guard let name = path.dropFirst().first, let type = inputTypes[name] else { return false }
            return type == .string || type == .duration
        default: return false
        }
    }

    /// The type of the value at `components` (whose problems ``problem(with:)`` reports), and
    /// how many components that type covers; the rest are members of it.
    func type(of components: [String]) -> (type: ExpressionType, consumed: Int) {
        var path = components[...]
        var prefix = 0
        if let currentStep, let root = path.first, Self.stepFields.contains(root) {
            path = (["steps", currentStep] + components)[...]
            prefix = 2
        }
        // A slice, not a new array: lint asks this of every path it type checks.
        let rest = path.dropFirst()
        func part(_ index: Int) -> String { rest[rest.startIndex + index] }
        func covering(_ count: Int, _ type: ExpressionType) -> (type: ExpressionType, consumed: Int) {
            (type, max(0, count - prefix))
        }
        switch path.first {
        case "alert":
            switch rest.first {
            case "labels", "annotations": return rest.count >= 2 ? covering(3, .string) : covering(2, .object(.string))
            case "resolved", "firing": return covering(2, .bool)
            case nil: return covering(1, .unknown)
            default: return covering(2, .string)
            }
        case "steps":
            guard rest.count >= 2, let outputs = steps[part(0)] else { return covering(path.count, .unknown) }
            switch part(1) {
            case "ok", "skipped": return covering(3, .bool)
            case "exit_code", "attempts", "duration": return covering(3, .number)
            case "stdout", "stderr", "status": return covering(3, .string)
            case let field where ReferenceFields.queryStep.contains(field):
                guard queries.contains(part(0)), let type = QueryResult.fieldTypes[field] else {
                    return covering(path.count, .unknown)
                }
                return covering(3, type)
            case "outputs":
                guard let outputs else { return covering(path.count, .unknown) }
                guard rest.count >= 3 else { return covering(3, .record(outputs)) }
                return covering(4, outputs[part(2)] ?? .unknown)
            default: return covering(path.count, .unknown)
            }
        case "run":
            switch rest.first {
            case "dry_run": return covering(2, .bool)
            case "duration": return covering(2, .number)
            default: return covering(2, .string)
            }
        case "env": return covering(2, .string)
        case "now": return covering(1, .number)
        case "inputs":
            switch rest.first.flatMap({ inputTypes[$0] }) {
            case .integer, .number: return covering(2, .number)
            case .boolean: return covering(2, .bool)
            case .string, .duration: return covering(2, .string)
            case nil: return covering(path.count, .unknown)
            }
        default: return covering(path.count, .unknown)
        }
    }

    /// Checks one path; returns a message when it can never resolve, else nil.
    func problem(with components: [String]) -> String? {
        guard let root = components.first else { return "empty reference" }
        if let currentStep, Self.stepFields.contains(root) {
            return stepProblem(([currentStep] + components)[...])
        }
        let rest = components.dropFirst()
        switch root {
        case "alert":
            if owner == .playbook {
                return "playbooks cannot see the alert; pass the value in through the caller's with:"
            }
            guard let field = rest.first else { return "\"alert\" needs a field, like alert.labels.instance" }
            guard Self.alertFields.contains(field) else {
                return "alert has no field \"\(field)\"" + Suggestion.didYouMean(field, in: Self.alertFields.sorted())
            }
            if owner == .check, !Self.tickAlertFields.contains(field),
                !(field == "labels" && rest.dropFirst().first == "alertname")
            {
                return "a check runs without an alert: alert.\(rest.joined(separator: ".")) is always empty "
                    + "(its tick's alert has only alert.name and alert.startsAt, the tick)"
            }
            return nil
        case "inputs":
            if owner != .playbook { return "runbooks have no inputs; inputs.* is for playbooks" }
            guard let name = rest.first else { return "\"inputs\" needs an input name" }
            return inputs.contains(name)
                ? nil : "unknown input \"\(name)\"" + Suggestion.didYouMean(name, in: inputs.sorted())
        case "steps":
            return stepProblem(rest)
        case "run":
            guard let field = rest.first else { return "\"run\" needs a field, like run.id" }
            return Self.runFields.contains(field)
                ? nil : "run has no field \"\(field)\"" + Suggestion.didYouMean(field, in: Self.runFields.sorted())
        case "now":
            return rest.isEmpty ? nil : "now is a time (seconds since 1970); it has no field \"\(rest.first ?? "")\""
        case "env":
            guard let name = rest.first else { return "\"env\" needs a variable name" }
            return envAllow.contains(name)
                ? nil
                : "environment variable \"\(name)\" is not in env.allow of rbx.yaml (\(envAllow.sorted().joined(separator: ", ")))"
        default:
            return "unknown name \"\(root)\"; references start with alert, inputs, steps, run, env or now"
                + Suggestion.didYouMean(root, in: Self.roots)
        }
    }

    private func stepProblem(_ rest: ArraySlice<String>) -> String? {
        var parts = rest.makeIterator()
        guard let id = parts.next() else { return "\"steps\" needs a step id, like steps.check.ok" }
        guard let outputs = steps[id] else {
            if allSteps.contains(id) {
                return "step \"\(id)\" runs later; a step can only use the results of steps before it"
            }
            return "unknown step \"\(id)\"" + Suggestion.didYouMean(id, in: allSteps.sorted())
        }
        guard let field = parts.next() else { return "steps.\(id) needs a field, like steps.\(id).ok" }
        guard Self.stepFields.contains(field) else {
            return "step result has no field \"\(field)\"" + Suggestion.didYouMean(field, in: Self.stepFields.sorted())
        }
        if ReferenceFields.queryStep.contains(field) && !queries.contains(id) {
            return "steps.\(id).\(field) is the result of a query: step; step \"\(id)\" is not one"
        }
        if field == "outputs" {
            guard let output = parts.next() else { return nil }
            if let outputs, outputs[output] == nil {
                return "step \"\(id)\" declares no output \"\(output)\""
                    + (outputs.isEmpty
                        ? "; declare it under outputs:" : Suggestion.didYouMean(output, in: outputs.keys.sorted()))
            }
        }
        return nil
    }
}
