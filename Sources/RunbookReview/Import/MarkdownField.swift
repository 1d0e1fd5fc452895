import Foundation

/// A `Name: value` line of a Markdown runbook, the way people write metadata by hand:
/// `**Severity:** P1`, `**Alert**: \`InstanceDown\``, `- Owner: sre`, `Escalation: If …`.
struct MarkdownField: Equatable {
    /// Lowercased, single spaces.
    var name: String
    var value: String

    /// The field on a trimmed line, or nil when the line is prose. A name is one to four words
    /// of letters before the first colon, so `Note: restart only once` is a field but
    /// `ping -c 3 host:80` and sentences with a colon late in them are not.
    static func parse(_ trimmed: String) -> MarkdownField? {
        var line = Substring(trimmed)
        for marker in ["- ", "* ", "+ "] where line.hasPrefix(marker) { line = line.dropFirst(2) }
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let rawName = plain(String(line[..<colon]))
        var value = line[line.index(after: colon)...]
        for closing in ["**", "__", "*", "_"] where value.hasPrefix(closing) {
            value = value.dropFirst(closing.count)
            break
        }
        let words = rawName.split(separator: " ")
        guard (1...4).contains(words.count), words.allSatisfy({ $0.allSatisfy { $0.isLetter || $0 == "-" } }) else {
            return nil
        }
        guard !value.hasPrefix("//") else { return nil }
        return MarkdownField(name: words.joined(separator: " ").lowercased(), value: plain(String(value)))
    }

    /// Text without emphasis markers and backticks around it, trimmed: what a person reads.
    static func plain(_ text: String) -> String {
        var result = text.trimmingCharacters(in: .whitespaces)
        var changed = true
        while changed {
            changed = false
            for marker in ["**", "__", "`", "*", "_"] where result.count >= 2 * marker.count {
                if result.hasPrefix(marker), result.hasSuffix(marker) {
                    result = String(result.dropFirst(marker.count).dropLast(marker.count))
                    changed = true
                } else if result.hasPrefix(marker) && !result.dropFirst(marker.count).contains(marker) {
                    result = String(result.dropFirst(marker.count))
                    changed = true
                } else if result.hasSuffix(marker) && !result.dropLast(marker.count).contains(marker) {
                    result = String(result.dropLast(marker.count))
                    changed = true
                }
            }
            result = result.trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
