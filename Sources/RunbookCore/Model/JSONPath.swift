/// Where a structured output's value lies in JSON a step printed: a jq-like path such as
/// `.data.result[0].value[1]`, `.items[].metadata.name` or `."app.kubernetes.io/name"`.
///
/// Only selection, no filters: enough for the fields on-call checks read, and small enough to
/// evaluate in one pass over an already parsed document.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Segment: Sendable, Hashable {
        case member(String)
        /// A position; negative counts from the end.
        case index(Int)
        /// `[]`: every element; what follows applies to each, and the results form a list.
        case each
    }

    public var segments: [Segment]

    public init(segments: [Segment]) {
        self.segments = segments
    }

    public var description: String {
        if segments.isEmpty { return "." }
        var text = ""
        for segment in segments {
            switch segment {
            case .member(let name):
                text += ExpressionPath.isIdentifier(name) ? "." + name : "." + ExpressionValue.quoted(name)
            case .index(let index): text += "[\(index)]"
            case .each: text += "[]"
            }
        }
        return text
    }

    /// Parses `.`, `.a.b`, `.a[0]`, `.a[]`, `."a b"`, `.["a b"]`.
    public static func parse(_ text: String) -> Result<JSONPath, JSONPathSyntaxError> {
        let bytes = Array(text.utf8)
        func fail(_ message: String) -> Result<JSONPath, JSONPathSyntaxError> {
            .failure(JSONPathSyntaxError(text: text, message: message))
        }
        guard bytes.first == UInt8(ascii: ".") else { return fail("a JSON path starts with \".\", as in .data.count") }
        if bytes == [UInt8(ascii: ".")] { return .success(JSONPath(segments: [])) }
        var segments: [Segment] = []
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."):
                index += 1
                guard index < bytes.count else { return fail("expected a name after \".\"") }
                if bytes[index] == UInt8(ascii: "\"") {
                    guard let (name, next) = quoted(bytes, from: index) else { return fail("unterminated quoted name") }
                    segments.append(.member(name))
                    index = next
                } else if bytes[index] == UInt8(ascii: "[") {
                    continue
                } else {
                    let start = index
                    while index < bytes.count, ExpressionPath.isIdentifierContinuation(bytes[index]) { index += 1 }
                    guard index > start else { return fail("expected a name after \".\"; quote names like .\"a.b\"") }
                    segments.append(.member(String(decoding: bytes[start..<index], as: UTF8.self)))
                }
            case UInt8(ascii: "["):
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    segments.append(.each)
                    index += 1
                } else if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    guard let (name, next) = quoted(bytes, from: index), next < bytes.count,
                        bytes[next] == UInt8(ascii: "]")
                    else { return fail("expected \"]\" after the quoted name") }
                    segments.append(.member(name))
                    index = next + 1
                } else {
                    let start = index
                    if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
                    while index < bytes.count, DecimalText.isDigit(bytes[index]) { index += 1 }
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "]"),
                        let position = Int(String(decoding: bytes[start..<index], as: UTF8.self))
                    else { return fail("expected a whole number, \"]\" or a quoted name after \"[\"") }
                    segments.append(.index(position))
                    index += 1
                }
            default:
                return fail("unexpected \"\(String(decoding: [bytes[index]], as: UTF8.self))\"; write .name, [0] or []")
            }
        }
        return .success(JSONPath(segments: segments))
    }

    /// A `"…"` at `start` with `\"` and `\\` escapes: its content and the index after it.
    private static func quoted(_ bytes: [UInt8], from start: Int) -> (String, Int)? {
        var index = start + 1
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { return (String(decoding: content, as: UTF8.self), index + 1) }
            if byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                index += 1
            }
            content.append(bytes[index])
            index += 1
        }
        return nil
    }

    /// The value at this path; `null` where a member or element is missing. With `[]` the
    /// result is a flat list, as jq's stream would be (`.pods[].containers[].name`).
    public func select(in value: ExpressionValue) -> ExpressionValue {
        let selected = stream(value, from: 0)
        return segments.contains(.each) ? .list(selected) : selected.first ?? .null
    }

    private func stream(_ value: ExpressionValue, from start: Int) -> [ExpressionValue] {
        var current = value
        for position in start..<segments.count {
            switch segments[position] {
            case .member(let name):
                current = current.element(at: .string(name))
            case .index(let index):
                current = current.element(at: .number(Double(index)))
            case .each:
                switch current {
                case .list(let items): return items.flatMap { stream($0, from: position + 1) }
                case .object(let members):
                    return members.sorted { $0.key < $1.key }.flatMap { stream($0.value, from: position + 1) }
                default: return []
                }
            }
        }
        return [current]
    }
}

/// A JSON path that could not be read, with what is wrong.
public struct JSONPathSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var message: String
    public var description: String { "JSON path \"\(text)\": \(message)" }
}
