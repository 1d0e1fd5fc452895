/// Reaching into structured values: `steps.api.outputs.body.status`, `samples[0].labels`.
extension ExpressionValue {
    /// The value at a path of member names below this one; `null` where a member is missing or
    /// the value is not an object.
    public func value(at components: some Sequence<String>) -> ExpressionValue {
        var current = self
        for name in components {
            guard case .object(let members) = current else { return .null }
            current = members[name] ?? .null
        }
        return current
    }

    /// `value[key]`: a list's element by a whole-number position (negative counts from the
    /// end: `[-1]` is the last), or an object's member by name; `null` for anything else.
    public func element(at key: ExpressionValue) -> ExpressionValue {
        switch (self, key) {
        case (.object(let members), .string(let name)):
            return members[name] ?? .null
        case (.list(let items), _):
            guard let position = key.wholeNumber else { return .null }
            let index = position < 0 ? items.count + position : position
            return items.indices.contains(index) ? items[index] : .null
        default:
            return .null
        }
    }
}

/// The meaning of `+ - * / %`: on numbers (numeric strings count, as in comparisons), else
/// `null`. Division or remainder by zero, and a result too large to be finite, are `null` too.
enum ExpressionArithmetic {
    static func apply(_ op: ArithmeticOperator, _ left: ExpressionValue, _ right: ExpressionValue) -> ExpressionValue {
        guard let x = left.numericValue, let y = right.numericValue else { return .null }
        let result: Double
        switch op {
        case .add: result = x + y
        case .subtract: result = x - y
        case .multiply: result = x * y
        case .divide:
            guard y != 0 else { return .null }
            result = x / y
        case .remainder:
            guard y != 0 else { return .null }
            result = x.truncatingRemainder(dividingBy: y)
        }
        return result.isFinite ? .number(result) : .null
    }
}
