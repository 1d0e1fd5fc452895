/// One piece of a Markdown file as the importer sees it: a heading, a `**Field:** value` line,
/// a fenced code block, a line of prose or a blank line, each with its 1-based line number.
public struct MarkdownElement: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case heading(level: Int, text: String)
        /// `**Severity:** P1`, `- Alert: InstanceDown`: the name lowercased, the value without
        /// emphasis or backticks (empty for a lead-in such as `Communication Template:`).
        /// `raw` is the trimmed line, for a field the importer does not know (then it is prose).
        case field(name: String, value: String, raw: String)
        case code(MarkdownCodeBlock)
        case text(String)
        case blank
    }

    public var kind: Kind
    public var line: Int

    public init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }
}
