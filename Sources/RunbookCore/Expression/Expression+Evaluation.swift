/// Evaluation: pure, total and crash-free. Every input gives a value; a comparison that makes
/// no sense (a missing value, a list on the left of `<`, an invalid regex) is false, and
/// arithmetic or a function on values of the wrong kind gives `null`.
extension Expression {
    /// The value of the expression: the resolved value for a path or literal, a list for a
    /// list, a number for arithmetic, what a function returns, and `.bool` for the rest.
    public func evaluate(in context: some ExpressionContext) -> ExpressionValue {
        var evaluation = ExpressionEvaluation(context: context)
        return evaluation.value(of: self)
    }

    /// Whether the condition holds: the truthiness of ``evaluate(in:)``.
    public func isTrue(in context: some ExpressionContext) -> Bool {
        evaluate(in: context).isTruthy
    }
}

/// One evaluation: the names a comprehension binds, and a bound on the work.
///
/// Comprehensions nest and lists come from command output, so `[… for a in xs for …]` over a
/// few thousand lines could otherwise take hours; past ``budget`` sub-expressions every value
/// is `null`, and the condition is false.
struct ExpressionEvaluation<Context: ExpressionContext> {
    let context: Context
    var bindings: [String: ExpressionValue] = [:]
    var budget = 1_000_000

    init(context: Context) {
        self.context = context
    }

    mutating func value(of expression: Expression) -> ExpressionValue {
        guard budget > 0 else { return .null }
        budget -= 1
        switch expression {
        case .literal(let value, _):
            return value
        case .duration(let seconds, _):
            return .number(seconds)
        case .path(let path):
            if let root = path.components.first, let bound = bindings[root] {
                return bound.value(at: path.components.dropFirst())
            }
            return context.value(at: path.components)
        case .list(let items, _):
            var values: [ExpressionValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(value(of: item)) }
            return .list(values)
        case .not(let operand, _):
            return .bool(!value(of: operand).isTruthy)
        case .and(let items, _):
            for item in items where !value(of: item).isTruthy { return .bool(false) }
            return .bool(true)
        case .or(let items, _):
            for item in items where value(of: item).isTruthy { return .bool(true) }
            return .bool(false)
        case .compare(let op, let lhs, let rhs, _):
            if op == .equal || op == .notEqual, let tested = ExpressionComparison.nullTest(lhs, rhs) {
                let isNull = value(of: tested) == .null
                return .bool(op == .equal ? isNull : !isNull)
            }
            let left = value(of: lhs)
            guard left != .null else { return .bool(false) }
            return .bool(ExpressionComparison.holds(op, left, value(of: rhs)))
        case .arithmetic(let op, let lhs, let rhs, _):
            let left = value(of: lhs)
            return ExpressionArithmetic.apply(op, left, value(of: rhs))
        case .negate(let operand, _):
            return value(of: operand).numericValue.map { .number(-$0) } ?? .null
        case .call(let name, let arguments, _):
            guard let function = ExpressionFunction(rawValue: name) else { return .null }
            var values: [ExpressionValue] = []
            for argument in arguments { values.append(value(of: argument)) }
            return function.apply(values)
        case .index(let base, let key, _):
            let container = value(of: base)
            return container.element(at: value(of: key))
        case .comprehension(let element, let variable, let list, let filter, _):
            return comprehension(element, variable, list, filter)
        }
    }

    private mutating func comprehension(
        _ element: Expression, _ variable: String, _ list: Expression, _ filter: Expression?
    ) -> ExpressionValue {
        guard case .list(let items) = value(of: list) else { return .null }
        let shadowed = bindings[variable]
        defer { bindings[variable] = shadowed }
        var results: [ExpressionValue] = []
        for item in items {
            guard budget > 0 else { return .null }
            bindings[variable] = item
            if let filter, !value(of: filter).isTruthy { continue }
            results.append(value(of: element))
        }
        return .list(results)
    }
}
