/// One command of a code block: the text a person would type (continuation lines joined, a
/// loop or here-document kept whole), where it starts, and the comment written above it.
public struct MarkdownCommand: Sendable, Equatable {
    public var text: String
    public var line: Int
    /// The `# comment` line(s) right above the command, which usually say what it is for.
    public var comment: String?
    public var purpose: MarkdownSection.Purpose

    public init(text: String, line: Int, comment: String? = nil, purpose: MarkdownSection.Purpose = .diagnose) {
        self.text = text
        self.line = line
        self.comment = comment
        self.purpose = purpose
    }
}
