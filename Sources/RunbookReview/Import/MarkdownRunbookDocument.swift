import Foundation

/// A Markdown runbook read line by line into headings, fields, code blocks and prose.
///
/// Not a CommonMark parser (see docs/decisions/0013-markdown-import.md): runbooks written for
/// people use a small part of Markdown, and what the importer needs is the source line of every
/// piece, which Ink (rbx's Markdown renderer) does not give. The reader never fails on content:
/// an unclosed fence runs to the end of the file and is marked so.
///
/// ```swift
/// let document = try MarkdownRunbookDocument.read(path: "servers.md")
/// let sections = MarkdownSectionSplitter.sections(of: document)
/// ```
public struct MarkdownRunbookDocument: Sendable {
    /// Larger files are refused: a runbook collection of several MiB is a mistake (a log, a
    /// dump), and the importer holds the file in memory.
    public static let maximumBytes = 4 << 20

    /// The name used in comments and the report (the path as the user wrote it).
    public var file: String
    public var elements: [MarkdownElement]

    /// Reads `text` (already decoded) into elements.
    public init(file: String, text: String) {
        self.file = file
        self.elements = Self.parse(text)
    }

    /// Reads a file from disk.
    /// - Throws: ``ImportError`` `unreadable`, `tooLarge` (over ``maximumBytes``) or `notUTF8`
    ///   (at the line and column of the first bad byte).
    public static func read(path: String) throws(ImportError) -> MarkdownRunbookDocument {
        let bytes: [UInt8]
        do {
            bytes = try BoundedFile.read(path, limit: maximumBytes)
        } catch {
            switch error {
            case .unreadable(let reason): throw ImportError(.unreadable, reason, file: path)
            case .tooLarge:
                throw ImportError(
                    .tooLarge, "the file is larger than \(maximumBytes >> 20) MiB; split it or import its sections",
                    file: path)
            }
        }
        return try decode(bytes, file: path)
    }

    /// Decodes bytes, refusing invalid UTF-8 at its position.
    /// - Throws: ``ImportError`` `notUTF8`.
    public static func decode(_ bytes: [UInt8], file: String) throws(ImportError) -> MarkdownRunbookDocument {
        if let text = String(validating: bytes, as: UTF8.self) {
            return MarkdownRunbookDocument(file: file, text: text)
        }
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let end = min(bytes.count, index + 4)
            let width = (1...(end - index)).first {
                String(validating: bytes[index..<index + $0], as: UTF8.self) != nil
            }
            guard let width else { break }
            if bytes[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += width
        }
        throw ImportError(.notUTF8, "invalid UTF-8; save the file as UTF-8", file: file, line: line, column: column)
    }

    private static func parse(_ text: String) -> [MarkdownElement] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        var elements: [MarkdownElement] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let number = index + 1
            if let fence = Fence(line) {
                var body: [String] = []
                index += 1
                var closed = false
                while index < lines.count {
                    if fence.closes(lines[index]) {
                        closed = true
                        break
                    }
                    body.append(fence.strip(lines[index]))
                    index += 1
                }
                let block = MarkdownCodeBlock(language: fence.language, line: number, lines: body, closed: closed)
                elements.append(MarkdownElement(.code(block), line: number))
            } else {
                elements.append(MarkdownElement(classify(line), line: number))
            }
            index += 1
        }
        return elements
    }

    private static func classify(_ line: String) -> MarkdownElement.Kind {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return .blank }
        if let heading = heading(trimmed) { return heading }
        if let field = MarkdownField.parse(trimmed) {
            return .field(name: field.name, value: field.value, raw: trimmed)
        }
        return .text(trimmed)
    }

    private static func heading(_ trimmed: String) -> MarkdownElement.Kind? {
        let hashes = trimmed.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = trimmed.dropFirst(hashes)
        guard rest.isEmpty || rest.first == " " else { return nil }
        var text = rest.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("#") { text.removeLast() }
        return .heading(level: hashes, text: MarkdownField.plain(text.trimmingCharacters(in: .whitespaces)))
    }

    /// A fence line: three or more backticks or tildes, indented at most three spaces (or
    /// inside a list item), with an info string.
    private struct Fence {
        var character: Character
        var length: Int
        var indent: Int
        var language: String

        init?(_ line: String) {
            indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard let first = rest.first, first == "`" || first == "~" else { return nil }
            length = rest.prefix { $0 == first }.count
            guard length >= 3 else { return nil }
            character = first
            let info = rest.dropFirst(length).trimmingCharacters(in: .whitespaces)
            if first == "`", info.contains("`") { return nil }
            language = String(info.split(whereSeparator: { $0 == " " || $0 == "{" || $0 == "," }).first ?? "")
                .lowercased()
        }

        func closes(_ line: String) -> Bool {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.count >= length && trimmed.allSatisfy { $0 == character }
        }

        func strip(_ line: String) -> String {
            let spaces = min(indent, line.prefix { $0 == " " }.count)
            return String(line.dropFirst(spaces))
        }
    }
}
