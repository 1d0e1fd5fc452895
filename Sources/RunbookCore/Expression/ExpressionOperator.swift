/// A comparison operator; the raw value is its spelling in a condition.
public enum ExpressionOperator: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case equal = "=="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// `=~`: the left side matches the regular expression on the right, anchored at both ends.
    case matches = "=~"
    /// `!~`: the left side does not match the (valid) regular expression on the right.
    case doesNotMatch = "!~"
    /// `in`: membership in a list, or substring of a string.
    case `in` = "in"
    case notIn = "not in"

    /// Whether the right side is a regular expression, which lint must compile.
    public var takesRegex: Bool { self == .matches || self == .doesNotMatch }

    public var description: String { rawValue }
}

/// An arithmetic operator; the raw value is its spelling.
public enum ArithmeticOperator: String, Sendable, Equatable, Hashable, CaseIterable, CustomStringConvertible {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"

    /// Whether it binds like `*` (tighter) rather than like `+`.
    public var isMultiplicative: Bool { self == .multiply || self == .divide || self == .remainder }

    public var description: String { rawValue }
}
