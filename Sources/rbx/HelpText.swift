/// Discussion text for `--help`, written in the source as short lines and shown as paragraphs.
///
/// swift-argument-parser wraps each line of a discussion to the terminal's width on its own, so
/// text hard-wrapped at 90 columns came out ragged on an 80-column terminal. Reflowing joins the
/// lines of a paragraph (and the continuation lines of a list item) and leaves the wrapping to
/// the parser. A list item the parser would wrap to column 0, so its lines are joined and wrapped
/// here, at 78 columns under its text; other indented blocks (examples) keep their lines.
enum HelpText {
    static let listWidth = 78

    static func reflow(_ text: String) -> String {
        var lines: [String] = []
        var joinable = false
        var hangingIndent: Int?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty {
                lines.append("")
                joinable = false
                hangingIndent = nil
            } else if let marker = listMarkerLength(content) {
                lines.append(line)
                hangingIndent = indent + marker
                joinable = false
            } else if let hanging = hangingIndent, indent == hanging, !lines.isEmpty {
                lines[lines.count - 1] += " " + content
            } else if indent == 0, joinable, !lines.isEmpty {
                lines[lines.count - 1] += " " + content
            } else {
                lines.append(line)
                joinable = indent == 0 && !content.hasSuffix(":")
                hangingIndent = nil
            }
        }
        return lines.map { line in
            let indent = line.prefix { $0 == " " }.count
            guard let marker = listMarkerLength(line.dropFirst(indent)) else { return line }
            return wrap(line, hangingIndent: indent + marker)
        }.joined(separator: "\n")
    }

    /// Breaks `line` at spaces so no piece passes ``listWidth``; later pieces start under the text.
    private static func wrap(_ line: String, hangingIndent: Int) -> String {
        guard line.count > listWidth else { return line }
        var pieces: [String] = []
        var current = ""
        for word in line.dropFirst(hangingIndent).split(separator: " ") {
            let prefix =
                pieces.isEmpty ? String(line.prefix(hangingIndent)) : String(repeating: " ", count: hangingIndent)
            if current.isEmpty {
                current = prefix + word
            } else if current.count + 1 + word.count <= listWidth {
                current += " " + word
            } else {
                pieces.append(current)
                current = String(repeating: " ", count: hangingIndent) + word
            }
        }
        pieces.append(current)
        return pieces.joined(separator: "\n")
    }

    /// The length of `- `, `* ` or `1. ` at the start of a list item; nil for other lines.
    private static func listMarkerLength(_ content: Substring) -> Int? {
        if content.hasPrefix("- ") || content.hasPrefix("* ") { return 2 }
        let digits = content.prefix { $0.isNumber }.count
        if digits > 0, content.dropFirst(digits).hasPrefix(". ") { return digits + 2 }
        return nil
    }
}
