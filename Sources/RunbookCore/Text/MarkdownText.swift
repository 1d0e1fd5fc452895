/// Markdown for untrusted text: code spans and fences that the text inside cannot close
/// (CommonMark: a delimiter run longer than any backtick run in the content). Shared by the
/// catalog docs and the evidence `timeline.md`.
public enum MarkdownText {
    /// `text` as one inline code span; newlines become spaces. In a GFM table row, `|` is escaped.
    public static func codeSpan(_ text: String, inTable: Bool = false) -> String {
        var body = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        // GFM reads `|` inside a table row as a cell border even in code; `\|` is its escape.
        if inTable { body = body.split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|") }
        let ticks = String(repeating: "`", count: longestBacktickRun(body) + 1)
        let pad = body.hasPrefix("`") || body.hasSuffix("`") || body.hasPrefix(" ") ? " " : ""
        return ticks + pad + body + pad + ticks
    }

    /// The fence for a code block holding `text`: at least three backticks, more than it holds.
    public static func fence(for text: String) -> String {
        String(repeating: "`", count: max(3, longestBacktickRun(text) + 1))
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var current = 0
        for character in text {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }
}
