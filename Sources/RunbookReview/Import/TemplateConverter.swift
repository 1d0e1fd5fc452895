import Foundation

/// Turns a communication template from a Markdown runbook into a Mustache template rbx lint
/// accepts: `{{service}}` becomes `{{alert.labels.service}}`, `{{alert}}` `{{alert.name}}`, and
/// a tag that is no plain name (`{{#x}}`, `{{ETA?}}`) becomes `[…]` text; each change is listed
/// for the report, as are placeholders in other styles (`<ETA>`, `[TIME]`, `$HOST`) that a person
/// has to fill in.
public enum TemplateConverter {
    public struct Placeholder: Sendable, Equatable, Codable {
        public var written: String
        /// What it became in the template, or nil when it was left as text.
        public var replacement: String?
        public var line: Int
    }

    public static func convert(_ block: MarkdownCodeBlock) -> (text: String, placeholders: [Placeholder]) {
        var placeholders: [Placeholder] = []
        var output: [String] = []
        for (offset, line) in block.lines.enumerated() {
            let number = block.line + 1 + offset
            output.append(convertLine(line, line: number, placeholders: &placeholders))
            for other in otherPlaceholders(in: line) {
                placeholders.append(Placeholder(written: other, replacement: nil, line: number))
            }
        }
        var text = output.joined(separator: "\n")
        if !text.hasSuffix("\n") { text += "\n" }
        return (text, placeholders)
    }

    static let roots: Set<String> = ["alert", "run", "runbook", "steps", "step_list"]
    static let known: [String: String] = [
        "alertname": "alert.name", "alert_name": "alert.name", "severity": "alert.severity",
        "summary": "alert.annotations.summary", "description": "alert.annotations.description",
        "title": "runbook.title", "start": "alert.startsAt", "started": "alert.startsAt",
        "start_time": "alert.startsAt",
        "starttime": "alert.startsAt", "time": "alert.startsAt", "incident": "run.id", "incident_id": "run.id",
        "status": "run.state", "duration": "run.duration",
    ]

    private static func convertLine(_ line: String, line number: Int, placeholders: inout [Placeholder]) -> String {
        var result = ""
        var rest = Substring(line)
        while let open = rest.range(of: "{{") {
            result += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                result += "{ {" + rest[open.upperBound...]
                rest = ""
                placeholders.append(Placeholder(written: "{{", replacement: "{ {", line: number))
                break
            }
            let inner = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let written = "{{" + rest[open.upperBound..<close.lowerBound] + "}}"
            let replacement = tag(for: inner)
            result += replacement
            if replacement != written {
                placeholders.append(Placeholder(written: written, replacement: replacement, line: number))
            }
            rest = rest[close.upperBound...]
        }
        return result + rest
    }

    private static func tag(for inner: String) -> String {
        let isPath =
            !inner.isEmpty && inner.first!.isLetter
            && inner.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
        guard isPath else { return "[" + inner.replacingOccurrences(of: "}", with: "") + "]" }
        let root = String(inner.split(separator: ".").first ?? "")
        if roots.contains(root) { return "{{" + inner + "}}" }
        let key = inner.lowercased()
        if let mapped = known[key] { return "{{" + mapped + "}}" }
        if key == "alert" { return "{{alert.name}}" }
        let label = key.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        return "{{alert.labels." + String(label) + "}}"
    }

    /// `<ETA>`, `[TIME]`, `$HOST`, `{service}`, `XXX`, `TBD`: text meant to be replaced by hand.
    static func otherPlaceholders(in line: String) -> [String] {
        var found: [String] = []
        let characters = Array(line)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            let pairs: [Character: Character] = ["<": ">", "[": "]", "{": "}"]
            if let close = pairs[character],
                !(character == "{" && index + 1 < characters.count
                    && characters[index + 1] == "{"), !(character == "{" && index > 0 && characters[index - 1] == "{"),
                let end = characters[(index + 1)...].prefix(40).firstIndex(of: close)
            {
                let inner = String(characters[(index + 1)..<end])
                let upper = inner.filter(\.isLetter).allSatisfy(\.isUppercase) && inner.contains(where: \.isLetter)
                if upper || character == "{" || inner.contains("_") && !inner.contains(" ") {
                    found.append(String(characters[index...end]))
                }
                index = end + 1
                continue
            }
            if character == "$", index + 1 < characters.count, characters[index + 1].isLetter {
                let name = characters[(index + 1)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                found.append("$" + String(name))
                index += 1 + name.count
                continue
            }
            index += 1
        }
        for marker in ["XXX", "TBD", "TODO"] where line.contains(marker) { found.append(marker) }
        return found
    }
}
