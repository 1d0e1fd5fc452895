public import RunbookYAML

/// A string that may hold `{{ path }}` interpolations, parsed once at load time.
public struct InterpolatedText: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var interpolation: Interpolation
    public var source: ScalarSource

    public init(text: String, interpolation: Interpolation, source: ScalarSource) {
        self.text = text
        self.interpolation = interpolation
        self.source = source
    }

    public var location: SourceLocation { source.location }

    /// The file location of an interpolated path, for "unknown step" style diagnostics.
    public func location(of path: ExpressionPath) -> SourceLocation {
        source.location(atOffset: path.offset, in: text)
    }

    public var description: String { text }

    /// The text as the program receives it, with each interpolation shown as `{{path}}`: a
    /// quoted literal (`{{'{{'}}`, how a runbook writes a literal `{{`) shows as its value.
    public var shown: String {
        interpolation.render { "{{" + $0.description + "}}" }
    }
}

/// A parsed condition (`when`, `until`, `resolved_when`) with its source text.
public struct Condition: Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var expression: Expression
    public var source: ScalarSource

    public init(text: String, expression: Expression, source: ScalarSource) {
        self.text = text
        self.expression = expression
        self.source = source
    }

    public var location: SourceLocation { source.location }

    public func location(ofOffset offset: Int) -> SourceLocation {
        source.location(atOffset: offset, in: text)
    }

    public var description: String { text }
}

extension Condition {
    /// The fields of a step result that say whether it failed.
    static let failureFields: Set<String> = ["ok", "status", "exit_code"]

    /// Whether the condition reads a step's `ok`, `status` or `exit_code`: then it speaks of
    /// failure itself, and a failed attempt may satisfy it as an `until` (`until: not ok`, poll
    /// until the service is down). Otherwise a failed attempt never ends an `until`.
    public var considersFailure: Bool {
        expression.paths.contains { path in
            let field = path.components.first == "steps" ? path.components.dropFirst(2).first : path.components.first
            return field.map(Self.failureFields.contains) ?? false
        }
    }
}
