/// A reusable, parameterised procedure that runbooks call with `uses:`.
public struct Playbook: Sendable, Equatable {
    public var metadata: Metadata
    public var file: String
    public var inputs: [PlaybookInput]
    public var steps: [Step]
    /// As a runbook's: after a failure of its steps, and always, within the call.
    public var onFailure: [Step] = []
    public var finally: [Step] = []
    /// What the call returns: `steps.CALL.outputs.NAME` in the caller.
    public var outputs: [PlaybookOutput] = []

    public init(metadata: Metadata, file: String, inputs: [PlaybookInput], steps: [Step]) {
        self.metadata = metadata
        self.file = file
        self.inputs = inputs
        self.steps = steps
    }

    public var name: String { metadata.name.value }

    /// The steps, then `on_failure`, then `finally`.
    public var allSteps: [Step] { steps + onFailure + finally }

    public func input(named name: String) -> PlaybookInput? {
        inputs.first { $0.name.value == name }
    }
}

/// A declared playbook input. Values are checked after interpolation, so an alert label
/// that does not fit the `pattern` never reaches a command.
public struct PlaybookInput: Sendable, Equatable {
    public enum ValueType: String, Sendable, Hashable, CaseIterable {
        case string, integer, number, boolean, duration
    }

    public var name: Located<String>
    public var type: ValueType
    public var required: Bool
    public var defaultValue: String?
    public var pattern: AnchoredPattern?
    public var allowLeadingDash: Bool
    public var description: String?

    public init(
        name: Located<String>, type: ValueType = .string, required: Bool = false, defaultValue: String? = nil,
        pattern: AnchoredPattern? = nil, allowLeadingDash: Bool = false, description: String? = nil
    ) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.pattern = pattern
        self.allowLeadingDash = allowLeadingDash
        self.description = description
    }

    /// Checks a rendered value against the type, the leading-dash rule and the pattern.
    ///
    /// - Returns: nil when the value is acceptable, else a message naming the rule it broke.
    public func violation(for value: String) -> String? {
        switch type {
        case .string: break
        case .integer where Int(value) == nil: return "input \"\(name.value)\" must be an integer, got \"\(value)\""
        case .number where Double(value) == nil: return "input \"\(name.value)\" must be a number, got \"\(value)\""
        case .boolean where value != "true" && value != "false":
            return "input \"\(name.value)\" must be true or false, got \"\(value)\""
        case .duration where Duration(runbook: value) == nil:
            return "input \"\(name.value)\" must be a duration like 30s or 5m, got \"\(value)\""
        default: break
        }
        if type == .string, !allowLeadingDash, OptionInjection.couldBeOption(value) {
            return
                "input \"\(name.value)\" must not start with \"-\" (it could be read as an option); set allow_leading_dash: true if that is intended"
        }
        if let pattern, !pattern.matches(value) {
            return "input \"\(name.value)\" value \"\(value)\" does not match pattern \(pattern.pattern)"
        }
        return nil
    }
}

extension PlaybookInput {
    /// The value conditions see for an accepted input: a declared boolean is a boolean, so
    /// `when: inputs.stop_writes` with `stop_writes: false` is false (as text, "false" is a
    /// non-empty string, which is true); a number is a number when its text says exactly that
    /// number. Everything else, and `{{inputs.x}}` in text, is the text as given.
    public func expressionValue(for text: String) -> ExpressionValue {
        switch type {
        case .boolean where text == "true" || text == "false": return .bool(text == "true")
        case .integer, .number:
            if let number = DecimalText.parse(text), DecimalText.format(number) == text { return .number(number) }
            return .string(text)
        default: return .string(text)
        }
    }
}

/// An input `pattern`: matched like a regex search (anchored only where the author wrote `^…$`),
/// as JSON Schema's `pattern` is.
public struct AnchoredPattern: Sendable, Hashable {
    public let pattern: String
    let regex: LinearRegex

    public init(_ pattern: String) throws(RegexSyntaxError) {
        regex = try LinearRegex(pattern)
        self.pattern = pattern
    }

    public func matches(_ text: String) -> Bool {
        regex.contains(in: text)
    }

    public static func == (lhs: AnchoredPattern, rhs: AnchoredPattern) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// A value a playbook returns to its caller, computed after its steps in the playbook's own
/// scope (`restarted_pid: steps.verify.outputs.pid`).
public struct PlaybookOutput: Sendable, Equatable {
    public var name: Located<String>
    public var value: Condition

    public init(name: Located<String>, value: Condition) {
        self.name = name
        self.value = value
    }
}
