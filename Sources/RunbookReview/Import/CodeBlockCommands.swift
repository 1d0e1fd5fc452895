import Foundation

/// Splits a shell or console code block into the commands a person would run, one by one.
///
/// - `$ ` prompts mark commands when the block has them (`console`), and the other lines are
///   output; otherwise every line that is not blank or a `#` comment is a command.
/// - A line ending in `\` continues on the next; a `for`/`while`/`if`/`case` compound and a
///   here-document are kept as one command (a shell step), since their lines mean nothing alone.
/// - A comment directly above a command becomes its name.
public enum CodeBlockCommands {
    /// Commands longer than this are cut (the rest is not a command a runbook step should hold).
    static let maximumLines = 200

    public static func commands(
        in block: MarkdownCodeBlock, purpose: MarkdownSection.Purpose = .diagnose
    ) -> [MarkdownCommand] {
        let prompted = block.hasPrompts
        var commands: [MarkdownCommand] = []
        var comment: [String] = []
        var index = 0
        let lines = block.lines
        while index < lines.count {
            let number = block.line + 1 + index
            var line = lines[index].trimmingTrailingWhitespace()
            let trimmed = line.trimmingLeadingWhitespace()
            index += 1
            if trimmed.isEmpty {
                comment = []
                continue
            }
            if prompted {
                if trimmed.hasPrefix("$ ") || trimmed == "$" {
                    line = String(trimmed.dropFirst(1)).trimmingLeadingWhitespace()
                } else if trimmed.hasPrefix("#") {
                    comment.append(commentText(trimmed))
                    continue
                } else {
                    comment = []
                    continue
                }
            } else if trimmed.hasPrefix("#") {
                if !trimmed.hasPrefix("#!") { comment.append(commentText(trimmed)) }
                continue
            } else {
                line = trimmed
            }
            if line.isEmpty { continue }
            var text = line
            var depth = CompoundDepth()
            depth.add(line)
            while (text.hasSuffix("\\") || depth.open) && index < lines.count && text.count < 64 * 1024 {
                var next = lines[index].trimmingTrailingWhitespace()
                if prompted, next.trimmingLeadingWhitespace().hasPrefix("> ") {
                    next = String(next.trimmingLeadingWhitespace().dropFirst(2))
                }
                index += 1
                if text.hasSuffix("\\") && !depth.open {
                    text = String(text.dropLast()).trimmingTrailingWhitespace() + " " + next.trimmingLeadingWhitespace()
                } else {
                    text += "\n" + next
                }
                depth.add(next)
            }
            if text.hasSuffix("\\") { text = String(text.dropLast()).trimmingTrailingWhitespace() }
            let name = comment.isEmpty ? nil : comment.joined(separator: " ")
            commands.append(MarkdownCommand(text: text, line: number, comment: name, purpose: purpose))
            comment = []
        }
        return commands
    }

    private static func commentText(_ trimmed: String) -> String {
        String(trimmed.drop { $0 == "#" }).trimmingLeadingWhitespace()
    }

    /// Counts the shell compounds still open (`for … done`, `if … fi`, `case … esac`,
    /// `{ … }`) and a here-document waiting for its terminator.
    struct CompoundDepth {
        var depth = 0
        var hereDocument: String?
        var lines = 0

        var open: Bool { (depth > 0 || hereDocument != nil) && lines < CodeBlockCommands.maximumLines }

        mutating func add(_ line: String) {
            lines += 1
            if let terminator = hereDocument {
                if line.trimmingLeadingWhitespace() == terminator { hereDocument = nil }
                return
            }
            if let range = line.range(of: "<<") {
                let rest = line[range.upperBound...].drop { $0 == "-" || $0 == "~" || $0 == " " }
                let word = rest.prefix { !$0.isWhitespace && $0 != ";" && $0 != "|" && $0 != ")" }
                let terminator = word.filter { $0 != "'" && $0 != "\"" }
                if !terminator.isEmpty, !line[range.upperBound...].hasPrefix("<") { hereDocument = terminator }
            }
            for word in words(line) {
                switch word {
                case "for", "while", "until", "if", "case", "{", "select": depth += 1
                case "done", "fi", "esac", "}": depth = max(0, depth - 1)
                default: break
                }
            }
        }

        private func words(_ line: String) -> [String] {
            line.split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "\t" }).map(String.init)
        }
    }
}

extension String {
    func trimmingLeadingWhitespace() -> String { String(drop { $0 == " " || $0 == "\t" }) }
    func trimmingTrailingWhitespace() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return String(result)
    }
}
