/// The meaning of the comparison operators.
///
/// `null` (a missing label or output) makes every comparison false (SQL-like), except an
/// explicit test against the `null` literal: `x == null` is true when `x` is missing and
/// `x != null` when it is present. So `alert.labels.env != "prod"` does not fire for an alert
/// without `env`, and neither `x < 5` nor `x >= 5` holds for a missing `x`: a check whose data
/// is absent never silently passes. Likewise `!~` and `not in` are false, not true, when the
/// comparison itself is impossible (a missing value, an invalid regex, a number on the right
/// of `in`).
enum ExpressionComparison {
    /// Whether `left op right` holds for two evaluated sides; a `null` side makes it false.
    /// (`x == null` is decided before evaluating, by ``nullTest(_:_:)``.)
    static func holds(_ op: ExpressionOperator, _ left: ExpressionValue, _ right: ExpressionValue) -> Bool {
        guard left != .null, right != .null else { return false }
        switch op {
        case .equal: return equal(left, right)
        case .notEqual: return !equal(left, right)
        case .less: return order(left, right).map { $0 < 0 } ?? false
        case .lessOrEqual: return order(left, right).map { $0 <= 0 } ?? false
        case .greater: return order(left, right).map { $0 > 0 } ?? false
        case .greaterOrEqual: return order(left, right).map { $0 >= 0 } ?? false
        case .matches: return ExpressionComparison.matches(left, right) ?? false
        case .doesNotMatch: return ExpressionComparison.matches(left, right).map { !$0 } ?? false
        case .in: return contains(right, left) ?? false
        case .notIn: return contains(right, left).map { !$0 } ?? false
        }
    }

    /// For `x == null` or `null == x`: the side that is tested (`null == null` tests `null`).
    static func nullTest(_ lhs: Expression, _ rhs: Expression) -> Expression? {
        if case .literal(.null, _) = rhs { return lhs }
        if case .literal(.null, _) = lhs { return rhs }
        return nil
    }

    /// Equality of two non-null values: numeric when both are numbers or numeric strings
    /// (`"93" == 93`, `"1.0" == "1"`), element-wise for lists, otherwise by text (so
    /// `"true" == true`, since outputs are strings).
    static func equal(_ left: ExpressionValue, _ right: ExpressionValue) -> Bool {
        if let x = left.numericValue, let y = right.numericValue { return x == y }
        switch (left, right) {
        case (.list(let xs), .list(let ys)):
            return xs.count == ys.count
                && zip(xs, ys).allSatisfy { pair in
                    pair.0 == .null || pair.1 == .null ? pair.0 == pair.1 : equal(pair.0, pair.1)
                }
        case (.object(let xs), .object(let ys)):
            return xs.count == ys.count
                && xs.allSatisfy { key, x in
                    ys[key].map { y in x == .null || y == .null ? x == y : equal(x, y) } ?? false
                }
        case (.list, _), (_, .list), (.object, _), (_, .object), (.null, _), (_, .null):
            return false
        default:
            return left.text == right.text
        }
    }

    /// -1, 0 or 1: numeric order when both are numeric, else the order of their text; nil
    /// for lists (and NaN, which only a context can supply).
    private static func order(_ left: ExpressionValue, _ right: ExpressionValue) -> Int? {
        if let x = left.numericValue, let y = right.numericValue {
            guard !x.isNaN, !y.isNaN else { return nil }
            return x < y ? -1 : (x > y ? 1 : 0)
        }
        guard isScalar(left), isScalar(right) else { return nil }
        let (a, b) = (left.text, right.text)
        return a < b ? -1 : (a > b ? 1 : 0)
    }

    /// Whether `left`'s text matches the regex `right`, anchored at both ends; nil when either
    /// is not a scalar or the regex does not compile.
    private static func matches(_ left: ExpressionValue, _ right: ExpressionValue) -> Bool? {
        guard isScalar(left), isScalar(right), let regex = try? LinearRegex(right.text) else { return nil }
        return regex.wholeMatch(left.text)
    }

    /// `needle in haystack`: list membership (with ``equal(_:_:)``), substring, or a key of an
    /// object (`"team" in alert.labels`); nil when the haystack is none of those, or the needle
    /// is not a scalar where one is needed.
    private static func contains(_ haystack: ExpressionValue, _ needle: ExpressionValue) -> Bool? {
        switch haystack {
        case .list(let items):
            return items.contains { $0 != .null && equal(needle, $0) }
        case .string(let text):
            guard isScalar(needle) else { return nil }
            let part = needle.text
            return part.isEmpty || text.contains(part)
        case .object(let members):
            guard case .string(let key) = needle else { return nil }
            return members[key] != nil
        case .null, .bool, .number:
            return nil
        }
    }

    private static func isScalar(_ value: ExpressionValue) -> Bool {
        switch value {
        case .bool, .number, .string: true
        case .null, .list, .object: false
        }
    }
}
