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
