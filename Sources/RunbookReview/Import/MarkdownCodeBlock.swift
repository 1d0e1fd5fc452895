/// One fenced code block of a Markdown file, with where it starts, so every step made from it
/// can say which line it came from.
public struct MarkdownCodeBlock: Sendable, Equatable {
    /// The first word of the info string, lowercased (`bash`, `console`, `sql`, or empty).
    public var language: String
    /// The line of the opening fence (1-based).
    public var line: Int
    /// The lines between the fences, with the fence's own indentation removed.
    public var lines: [String]
    /// False when the file ended before the closing fence.
    public var closed: Bool

    public init(language: String, line: Int, lines: [String], closed: Bool = true) {
        self.language = language
        self.line = line
        self.lines = lines
        self.closed = closed
    }

    /// Whether the block holds commands (`sh`, `bash`, `console`, …, or no language at all).
    public var isShell: Bool { Self.shellLanguages.contains(language) }

    /// Whether a `$ ` prompt marks commands (and other lines are output), as in `console`.
    public var hasPrompts: Bool {
        ["console", "shell-session", "shellsession", "terminal"].contains(language)
            || lines.contains { $0.hasPrefix("$ ") }
    }

    static let shellLanguages: Set<String> = [
        "", "sh", "bash", "shell", "zsh", "ksh", "console", "shell-session", "shellsession", "terminal",
    ]
}
