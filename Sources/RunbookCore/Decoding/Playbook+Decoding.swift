internal import RunbookYAML

extension DocumentDecoder {
    mutating func playbook(_ root: YAMLNode) -> Playbook? {
        guard let fields = fields(root, allowed: FormatKeys.playbook, in: "playbook"),
            checkHeader(fields, kind: "Playbook"),
            let metadata = metadata(fields["metadata"], in: "playbook")
        else { return nil }
        let inputs = playbookInputs(fields["inputs"])
        let what = "playbook \"\(metadata.name.value)\""
        var playbook = Playbook(
            metadata: metadata, file: file, inputs: inputs, steps: steps(required(fields, "steps"), in: what))
        playbook.onFailure = steps(fields["on_failure"], in: "\(what) on_failure")
        playbook.finally = steps(fields["finally"], in: "\(what) finally")
        playbook.outputs = playbookOutputs(fields["outputs"])
        return playbook
    }

    /// `outputs: {NAME: EXPRESSION}`: what the call returns, evaluated after the playbook's steps.
    private mutating func playbookOutputs(_ node: YAMLNode?) -> [PlaybookOutput] {
        guard let entries = stringMap(node, "outputs") else { return [] }
        return entries.compactMap { name, value in
            if !Self.isStepID(name.value) {
                error(
                    "output-name",
                    "output \"\(name.value)\" is not a valid name; start with a lowercase letter, then letters, digits, _ or -",
                    at: name.location)
            }
            return condition(value, "outputs.\(name.value)").map { PlaybookOutput(name: name, value: $0) }
        }
    }

    private mutating func playbookInputs(_ node: YAMLNode?) -> [PlaybookInput] {
        guard let entries = stringMap(node, "inputs") else { return [] }
        return entries.compactMap { name, value in
            let what = "input \"\(name.value)\""
            if !Self.isStepID(name.value) {
                error(
                    "input-name",
                    "\(what) is not a valid name; start with a lowercase letter, then letters, digits, _ or -",
                    at: name.location)
            }
            guard let fields = fields(value, allowed: FormatKeys.playbookInput, in: what) else { return nil }
            var input = PlaybookInput(name: name)
            input.type = choice(fields["type"], "\(what) type", as: PlaybookInput.ValueType.self) ?? .string
            input.required = bool(fields["required"], "\(what) required") ?? false
            input.defaultValue = string(fields["default"], "\(what) default")?.value
            input.allowLeadingDash = bool(fields["allow_leading_dash"], "\(what) allow_leading_dash") ?? false
            input.description = string(fields["description"], "\(what) description")?.value
            if let pattern = string(fields["pattern"], "\(what) pattern") {
                do {
                    input.pattern = try regexes.searchingPattern(pattern.value)
                } catch {
                    self.error("regex", "\(what) pattern: \(error)", at: pattern.location)
                }
            }
            if input.required, input.defaultValue != nil, let location = fields.keyLocation("default") {
                warning(
                    "required-with-default", "\(what) is required and has a default; the default is never used",
                    at: location)
            }
            if let defaultValue = input.defaultValue, let problem = input.violation(for: defaultValue),
                let location = fields.keyLocation("default")
            {
                error("input-default", "default of \(problem)", at: location)
            }
            return input
        }
    }
}
