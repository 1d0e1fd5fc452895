import Foundation
import RunbookCore

/// Reads `filter=` query values the way Alertmanager does (`alertname="Disk"`, `env=~"prod|stg"`,
/// `team!=db`): amtool sends its matchers this way and filters nothing itself.
enum FilterMatcher {
    /// - Throws: ``APIError`` 400 naming the `filter` that does not parse.
    static func parse(_ text: String) throws(APIError) -> LabelMatcher {
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: " {}"))
        guard let operatorStart = trimmed.firstIndex(where: { $0 == "=" || $0 == "!" }) else {
            throw APIError.badRequest(
                "filter \"\(text)\": write NAME=VALUE, NAME!=VALUE, NAME=~REGEX or NAME!~REGEX", field: "filter")
        }
        let name = trimmed[..<operatorStart].trimmingCharacters(in: .whitespaces)
        let (op, rawValue) = LabelMatcher.split(String(trimmed[operatorStart...]))
        var value = rawValue.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
                .replacingOccurrences(of: "\\\\", with: "\\")
        }
        guard !name.isEmpty else {
            throw APIError.badRequest("filter \"\(text)\": the label name is missing", field: "filter")
        }
        do {
            return try LabelMatcher(name: name, op: op, value: value)
        } catch {
            throw APIError.badRequest("filter \"\(text)\": \(error)", field: "filter")
        }
    }
}
