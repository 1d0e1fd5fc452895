/// Reads, from a PromQL expression's text, which labels its result series carry
/// (``SeriesLabels``), the way Prometheus builds them: aggregations keep their `by` labels or drop
/// their `without` ones, `histogram_quantile` drops `le`, `absent` keeps its selector's equality
/// matchers, a filter (`> 0.5`, `and`, `unless`) keeps its left side's, one-to-one arithmetic
/// with `on (…)` keeps the `on` labels.
///
/// Not a PromQL parser: there is none in Swift, and coverage needs only this one property. Any
/// text it does not recognise reads as ``SeriesLabels/unknown`` (any label may be present),
/// which can only make coverage say "may match" where it could have said "matches", never
/// claim that a rule lacks a label it sets.
public enum PromQLLabels {
    public static func of(_ expression: String) -> SeriesLabels {
        labels(PromQLText.strippingComments(Substring(expression)), depth: 0)
    }

    static let aggregations: Set<String> = [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk",
        "quantile", "limitk", "limit_ratio",
    ]
    /// Aggregations that select series rather than combine them: every label survives.
    static let selecting: Set<String> = ["topk", "bottomk", "limitk", "limit_ratio"]

    private static func labels(_ text: Substring, depth: Int) -> SeriesLabels {
        guard depth < 64 else { return .unknown }
        let text = PromQLText.trimmed(text)
        guard !text.isEmpty else { return .unknown }
        if let inner = PromQLText.parenthesized(text) { return labels(inner, depth: depth + 1) }
        if let split = PromQLText.lowestBinaryOperator(in: text) {
            return binary(split, depth: depth)
        }
        return term(text, depth: depth)
    }

    private static func binary(_ split: PromQLText.BinarySplit, depth: Int) -> SeriesLabels {
        let left = labels(split.left, depth: depth + 1)
        let right = labels(split.right, depth: depth + 1)
        switch split.op {
        case "or": return left.union(right)
        case "and", "unless": return left
        default: break
        }
        if left.isScalar && right.isScalar { return .scalar }
        if left.isScalar { return right }
        if right.isScalar { return left }
        let modifiers = split.modifiers
        let isFilter = PromQLText.comparisons.contains(split.op) && !modifiers.bool
        if let extra = modifiers.groupRight { return right.adding(extra) }
        if let extra = modifiers.groupLeft { return left.adding(extra) }
        if isFilter { return left }
        if let on = modifiers.on { return left.keeping(on) }
        if let ignoring = modifiers.ignoring { return left.dropping(ignoring) }
        return left
    }

    private static func term(_ text: Substring, depth: Int) -> SeriesLabels {
        var text = PromQLText.strippingModifiers(text)
        if let first = text.first, first == "-" || first == "+" {
            text = PromQLText.trimmed(text.dropFirst())
            return labels(text, depth: depth + 1)
        }
        if PromQLText.isNumber(text) || PromQLText.isString(text) { return .scalar }
        if let inner = PromQLText.parenthesized(text) { return labels(inner, depth: depth + 1) }
        if let call = PromQLText.call(text) {
            if aggregations.contains(call.name) { return aggregation(call, depth: depth) }
            return function(call, depth: depth)
        }
        if let selector = PromQLText.selector(text) {
            return SeriesLabels(fixed: selector.equalities.filter { $0.key != "__name__" }, closed: false)
        }
        return .unknown
    }

    private static func aggregation(_ call: PromQLText.Call, depth: Int) -> SeriesLabels {
        guard let vector = call.arguments.last else { return .unknown }
        let inner = labels(vector, depth: depth + 1)
        if selecting.contains(call.name) { return inner }
        var result: SeriesLabels
        switch call.grouping {
        case .by(let names)?: result = inner.keeping(names)
        case .without(let names)?: result = inner.dropping(names)
        case nil: result = SeriesLabels(closed: true)
        }
        if call.name == "count_values", let first = call.arguments.first,
            let label = PromQLText.stringValue(PromQLText.trimmed(first))
        {
            result = result.adding([label])
        }
        return result
    }

    private static func function(_ call: PromQLText.Call, depth: Int) -> SeriesLabels {
        switch call.name {
        case "absent", "absent_over_time":
            guard let argument = call.arguments.first,
                let selector = PromQLText.selector(PromQLText.strippingModifiers(PromQLText.trimmed(argument)))
            else { return SeriesLabels(closed: true) }
            let fixed = selector.equalities.filter { $0.key != "__name__" }
            return SeriesLabels(fixed: fixed, closed: true)
        case "vector": return SeriesLabels(closed: true)
        case "scalar", "time", "pi": return .scalar
        case "histogram_quantile":
            guard call.arguments.count == 2 else { return .unknown }
            return labels(call.arguments[1], depth: depth + 1).dropping(["le"])
        case "label_replace", "label_join":
            guard call.arguments.count >= 2,
                let destination = PromQLText.stringValue(PromQLText.trimmed(call.arguments[1]))
            else { return .unknown }
            return labels(call.arguments[0], depth: depth + 1).adding([destination])
        default:
            // rate, increase, *_over_time, clamp, predict_linear …: the labels of their vector.
            for argument in call.arguments {
                let found = labels(argument, depth: depth + 1)
                if !found.isScalar { return found }
            }
            return .scalar
        }
    }
}
