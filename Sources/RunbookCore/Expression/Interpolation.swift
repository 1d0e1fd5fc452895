/// A string with `{{ path }}` parts, such as an argv element or a status message.
///
/// Parsed once at load time; every scalar of a catalog goes through ``parse(_:)``, so text
/// without `{{` takes a byte scan and no allocation beyond its one segment.
public struct Interpolation: Sendable, Equatable {
    public enum Segment: Sendable, Equatable {
        case text(String)
        /// The path's offset is within the whole source string, not within the braces.
        case path(ExpressionPath)
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    /// Every path, in order.
    public var paths: [ExpressionPath] {
        segments.compactMap { segment in
            if case .path(let path) = segment { return path }
            return nil
        }
    }

    /// Whether the string has no `{{ }}` and renders as itself.
    public var isLiteral: Bool {
        segments.allSatisfy { segment in
            if case .text = segment { return true }
            return false
        }
    }

    /// The text with each path replaced by `resolve(path)`. Values are inserted as they are
    /// and never scanned again, so a label holding `{{…}}` stays literal text.
    public func render(_ resolve: (ExpressionPath) -> String) -> String {
        if segments.count == 1, case .text(let text) = segments[0] { return text }
        var result = ""
        for segment in segments {
            switch segment {
            case .text(let text): result += text
            case .path(let path): result += resolve(path)
            }
        }
        return result
    }

    public static func parse(_ source: String) throws(ExpressionSyntaxError) -> Interpolation {
        let hasOpening = source.utf8.withContiguousStorageIfAvailable(containsOpening) ?? containsOpening(source.utf8)
        guard hasOpening else { return Interpolation(segments: source.isEmpty ? [] : [.text(source)]) }
        return try InterpolationScanner(Array(source.utf8)).scan()
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
