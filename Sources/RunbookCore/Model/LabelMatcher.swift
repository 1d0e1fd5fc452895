/// One Alertmanager-style label matcher: `env: "=~prod|staging"`.
///
/// The operator is the value's prefix (`=`, `!=`, `=~`, `!~`); a value without one is an
/// equality. As in Alertmanager, a missing label counts as the empty string, so `!=prod`
/// matches an alert without `env` and `=~.*` matches every alert.
public struct LabelMatcher: Sendable, Hashable, CustomStringConvertible {
    public enum Operator: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case doesNotMatchRegex = "!~"
    }

    public var name: String
    public var op: Operator
    public var value: String
    public var regex: AnchoredRegex?

    public init(name: String, op: Operator, value: String) throws(RegexSyntaxError) {
        try self.init(
            name: name, op: op, value: value,
            compile: { (pattern) throws(RegexSyntaxError) in try AnchoredRegex(pattern) })
    }

    init(
        name: String, op: Operator, value: String, compile: (String) throws(RegexSyntaxError) -> AnchoredRegex
    ) throws(RegexSyntaxError) {
        self.name = name
        self.op = op
        self.value = value
        if op == .matchesRegex || op == .doesNotMatchRegex {
            regex = try compile(value)
        }
    }

    /// Splits `"=~prod|staging"` into operator and value.
    public static func split(_ text: String) -> (Operator, String) {
        for op in [Operator.matchesRegex, .doesNotMatchRegex, .notEqual, .equal] where text.hasPrefix(op.rawValue) {
            return (op, String(text.dropFirst(op.rawValue.count)))
        }
        return (.equal, text)
    }

    public func matches(_ labels: [String: String]) -> Bool {
        let actual = labels[name] ?? ""
        switch op {
        case .equal: return actual == value
        case .notEqual: return actual != value
        case .matchesRegex: return regex?.matches(actual) ?? false
        case .doesNotMatchRegex: return !(regex?.matches(actual) ?? true)
        }
    }

    /// `env=~"prod|staging"`, the way amtool and Alertmanager print matchers.
    public var description: String {
        "\(name)\(op.rawValue)\"\(value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\""))\""
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
