/// Evaluation: pure, total and crash-free. Every input gives a value; a comparison that makes
/// no sense (a missing value, a list on the left of `<`, an invalid regex) is false.
extension Expression {
    /// The value of the expression: the resolved value for a path or literal, a list for a
    /// list, and `.bool` for everything else.
    public func evaluate(in context: some ExpressionContext) -> ExpressionValue {
        switch self {
        case .literal(let value, _):
            return value
        case .path(let path):
            return context.value(at: path.components)
        case .list(let items, _):
            return .list(items.map { $0.evaluate(in: context) })
        case .not(let operand, _):
            return .bool(!operand.isTrue(in: context))
        case .and(let items, _):
            for item in items where !item.isTrue(in: context) { return .bool(false) }
            return .bool(true)
        case .or(let items, _):
            for item in items where item.isTrue(in: context) { return .bool(true) }
            return .bool(false)
        case .compare(let op, let lhs, let rhs, _):
            return .bool(ExpressionComparison.holds(op, lhs, rhs, in: context))
        }
    }

    /// Whether the condition holds: the truthiness of ``evaluate(in:)``.
    public func isTrue(in context: some ExpressionContext) -> Bool {
        evaluate(in: context).isTruthy
    }
}
