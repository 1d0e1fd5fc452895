/// A reference such as `steps.verify.ok` or `alert.labels["app.kubernetes.io/name"]`.
///
/// Kept as components (not text) so lint can check roots, step ids and label names without
/// re-parsing, and with its offset so those diagnostics point at the path itself.
public struct ExpressionPath: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// One entry per `.name` or `["name"]`; the bracket form's content is stored unquoted.
    public var components: [String]
    /// Where the path starts: 0-based count of Unicode scalars in the source text.
    public var offset: Int

    public init(components: [String], offset: Int = 0) {
        self.components = components
        self.offset = offset
    }

    /// The path as written canonically: `.name` where `name` is an identifier, `["…"]`
    /// otherwise, so printing and re-parsing gives the same components.
    public var description: String {
        var result = ""
        for (index, component) in components.enumerated() {
            if index == 0 {
                result += component
            } else if ExpressionPath.isIdentifier(component) {
                result += "." + component
            } else {
                result += "[" + ExpressionValue.quoted(component) + "]"
            }
        }
        return result
    }

    /// Whether `text` matches `[A-Za-z_][A-Za-z0-9_-]*`.
    public static func isIdentifier(_ text: String) -> Bool {
        var first = true
        for byte in text.utf8 {
            guard first ? isIdentifierStart(byte) : isIdentifierContinuation(byte) else { return false }
            first = false
        }
        return !first
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    static func isIdentifierContinuation(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || DecimalText.isDigit(byte) || byte == UInt8(ascii: "-")
    }
}
