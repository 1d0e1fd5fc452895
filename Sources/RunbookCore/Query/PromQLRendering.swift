/// Renders a `query:` with its `{{ }}` values, which come from the alert and so from outside.
///
/// The rule, applied where each value lands in the query text:
/// - inside a `"…"` or `'…'` string literal the value is escaped (`\` `"` `'` and newline, tab,
///   carriage return), so `instance="{{ alert.labels.instance }}"` can never end the literal;
/// - inside a `` `…` `` raw string a value holding a backtick is refused (a raw string has no
///   escapes);
/// - anywhere else the value must be a number (`> {{ alert.labels.threshold }}`): text there
///   would be PromQL, and alert data must not write queries.
/// Other control characters are refused everywhere.
public enum PromQLRendering {
    /// Why a value could not go into a query; the step fails before anything is asked.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var expression: String
        public var value: String
        public var reason: String

        public var description: String {
            "{{ \(expression) }} is \"\(value.prefix(80))\", which \(reason)"
        }
    }

    private enum Quote { case none, double, single, raw }

    private struct Reason: Error {
        var text: String
        init(_ text: String) { self.text = text }
    }

    /// - Parameter evaluate: the value of each interpolated expression.
    public static func render(
        _ interpolation: Interpolation, _ evaluate: (Expression) -> ExpressionValue
    ) -> Result<String, Refusal> {
        var quote = Quote.none
        var escaped = false
        var result = ""
        for segment in interpolation.segments {
            switch segment {
            case .text(let text):
                result += text
                for character in text { advance(&quote, &escaped, character) }
            case .expression(let expression):
                let value = evaluate(expression)
                switch insert(value, into: quote) {
                case .success(let text): result += text
                case .failure(let reason):
                    return .failure(Refusal(expression: expression.description, value: value.text, reason: reason.text))
                }
            }
        }
        return .success(result)
    }

    private static func advance(_ quote: inout Quote, _ escaped: inout Bool, _ character: Character) {
        if escaped {
            escaped = false
            return
        }
        switch (quote, character) {
        case (.double, "\\"), (.single, "\\"): escaped = true
        case (.none, "\""): quote = .double
        case (.none, "'"): quote = .single
        case (.none, "`"): quote = .raw
        case (.double, "\""), (.single, "'"), (.raw, "`"): quote = .none
        default: break
        }
    }

    /// The text that goes into the query, or why the value may not.
    private static func insert(_ value: ExpressionValue, into quote: Quote) -> Result<String, Reason> {
        let text = value.text
        if text.unicodeScalars.contains(where: {
            $0.value < 0x20 && !["\n", "\t", "\r"].contains($0) || $0.value == 0x7F
        }) {
            return .failure(Reason("holds a control character"))
        }
        switch quote {
        case .double, .single:
            // By scalar: "\r\n" is one Character, and must not pass as an unescaped line break.
            var escaped = ""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\\": escaped += "\\\\"
                case "\"": escaped += "\\\""
                case "'": escaped += "\\'"
                case "\n": escaped += "\\n"
                case "\t": escaped += "\\t"
                case "\r": escaped += "\\r"
                default: escaped.unicodeScalars.append(scalar)
                }
            }
            return .success(escaped)
        case .raw:
            return text.contains("`")
                ? .failure(Reason("holds a backtick and sits in a `raw string`, which cannot escape it"))
                : .success(text)
        case .none:
            if case .number(let number) = value, number.isFinite { return .success(text) }
            if let number = Double(text), number.isFinite,
                !text.contains(where: { $0.isLetter && $0 != "e" && $0 != "E" })
            {
                return .success(text)
            }
            return .failure(Reason("is not a number; outside a quoted string a query takes only numbers from {{ }}"))
        }
    }
}
