/// A regular expression anchored at both ends, as Alertmanager anchors label matchers.
///
/// `web-.*` must match `web-1` and not `my-web-1`: an unanchored regex in a matcher is the
/// classic way a runbook starts firing for alerts it was never meant for.
public struct AnchoredRegex: Sendable, CustomStringConvertible {
    /// The pattern as the author wrote it, without the added anchors.
    public let pattern: String
    private let regex: LinearRegex

    /// - Throws: ``RegexSyntaxError`` with RE2's explanation (the syntax Alertmanager accepts).
    public init(_ pattern: String) throws(RegexSyntaxError) {
        // A whole match anchors the pattern as written: `a)|(b` cannot escape added anchors.
        regex = try LinearRegex(pattern)
        self.pattern = pattern
    }

    public func matches(_ text: String) -> Bool {
        regex.wholeMatch(text)
    }

    public var description: String { pattern }
}

extension AnchoredRegex: Hashable {
    public static func == (lhs: AnchoredRegex, rhs: AnchoredRegex) -> Bool { lhs.pattern == rhs.pattern }
    public func hash(into hasher: inout Hasher) { hasher.combine(pattern) }
}

/// A regex that does not compile.
public struct RegexSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var reason: String
    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
