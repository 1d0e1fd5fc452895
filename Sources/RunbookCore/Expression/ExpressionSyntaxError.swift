/// A condition or interpolation that does not parse.
///
/// Errors are values carrying the position, not crashes or bare strings, so lint can point
/// at the exact character of the YAML scalar (see `ScalarSource.location(atOffset:in:)`).
public struct ExpressionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong and, where possible, how to fix it: `expected an operand after "and"`.
    public var message: String
    /// 0-based count of Unicode scalars from the start of the source text.
    public var offset: Int

    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { "offset \(offset): \(message)" }
}
