/// A string with `{{ expression }}` parts, such as an argv element or a status message.
///
/// Parsed once at load time; every scalar of a catalog goes through ``parse(_:)``, so text
/// without `{{` takes a byte scan and no allocation beyond its one segment.
public struct Interpolation: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case text(String)
        /// Offsets are within the whole source string, not within the braces.
        case expression(Expression)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Every expression, in order.
    public var expressions: [Expression] {
        segments.compactMap { segment in
            if case .expression(let expression) = segment { return expression }
            return nil
        }
    }

    /// Every path the expressions read, in order.
    public var paths: [ExpressionPath] {
        expressions.flatMap(\.paths)
    }

    /// Whether the string has no `{{ }}` and renders as itself.
    public var isLiteral: Bool {
        segments.allSatisfy { segment in
            if case .text = segment { return true }
            return false
        }
    }

    /// The text with each expression replaced by `resolve(expression)`. Values are inserted as
    /// they are and never scanned again, so a label holding `{{…}}` stays literal text.
    public func render(_ resolve: (Expression) -> String) -> String {
        if segments.count == 1, case .text(let text) = segments[0] { return text }
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text): result += text
            case .expression(let expression): result += resolve(expression)
            }
        }
        return result
    }

    /// The text with each expression evaluated in `context`; `null` renders as nothing.
    public func render(in context: some ExpressionContext) -> String {
        render { $0.evaluate(in: context).text }
    }

    public static func parse(_ source: String) throws(ExpressionSyntaxError) -> Interpolation {
        guard hasOpening(source) else { return Interpolation(segments: source.isEmpty ? [] : [.text(source)]) }
        return try InterpolationScanner(Array(source.utf8)).scan()
    }

    /// Whether `text` holds a `{{`, that is, whether ``parse(_:)`` would find an expression in
    /// it. A byte scan: `String.contains("{{")` compares grapheme by grapheme, at about 4,000
    /// instructions a call, and decoding asks it of every step duration and notify target.
    public static func hasOpening(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable(containsOpening) ?? containsOpening(text.utf8)
    }

    /// Whether `{{` occurs, scanning bytes.
    private static func containsOpening(_ bytes: some Sequence<UInt8>) -> Bool {
        var previousWasBrace = false
        for byte in bytes {
            let isBrace = byte == UInt8(ascii: "{")
            if isBrace && previousWasBrace { return true }
            previousWasBrace = isBrace
        }
        return false
    }
}
