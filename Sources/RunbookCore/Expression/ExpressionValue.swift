/// A value a condition computes with: what a path resolves to, or a literal.
///
/// Labels, annotations and step outputs are strings, so comparisons treat numeric strings as
/// numbers (`"93" > 90`); see ``numericValue``.
public enum ExpressionValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case list([ExpressionValue])
    /// A JSON object from a structured output, a Prometheus sample, or `alert.labels` as a whole.
    case object([String: ExpressionValue])

    /// The truth of a bare value in `when:`: `true`, a non-zero number, a non-empty string or
    /// list. `null` (a missing label or output) is false, so `when: steps.x.outputs.flag`
    /// does not fire on absence.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .number(let value): value != 0 && !value.isNaN
        case .string(let value): !value.isEmpty
        case .list(let values): !values.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// The number this value stands for: a number, or a string holding a decimal number
    /// (`-?[0-9]+(.[0-9]+)?`, surrounding ASCII whitespace ignored, since command output
    /// usually ends in a newline). `nil` for anything else, including `"1e3"`, `"inf"` and `""`.
    public var numericValue: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): DecimalText.parse(text)
        case .null, .bool, .list, .object: nil
        }
    }

    /// The whole number this value stands for, as a list position is written (`0`, `-1`, `"2"`);
    /// `nil` for fractions and for magnitudes no list reaches (at or over 10^15).
    public var wholeNumber: Int? {
        guard let number = numericValue, abs(number) < 1e15, number.rounded(.towardZero) == number else { return nil }
        return Int(number)
    }

    /// The text inserted by interpolation and used for string comparisons: strings as they
    /// are, numbers in plain decimal (`93`, not `93.0`), booleans as `true`/`false`, `null` as
    /// the empty string and lists in literal syntax.
    public var text: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .number(let value): DecimalText.format(value)
        case .string(let value): value
        case .list, .object: description
        }
    }

    /// The value in condition syntax (`"a"`, `93`, `["x", 1]`), re-parseable as a literal;
    /// objects print as `{"key": value}`, which conditions cannot write.
    public var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): value ? "true" : "false"
        case .number(let value): DecimalText.format(value)
        case .string(let value): ExpressionValue.quoted(value)
        case .list(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .object(let members):
            "{"
                + members.sorted { $0.key < $1.key }.map {
                    ExpressionValue.quoted($0.key) + ": " + $0.value.description
                }
                .joined(separator: ", ") + "}"
        }
    }

    /// A double-quoted string literal whose escapes the lexer reads back to the same text.
    static func quoted(_ text: String) -> String {
        var result = "\""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        result += "\""
        return result
    }
}
