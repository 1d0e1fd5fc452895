/// Turns libyaml's raw failures into messages a runbook author can act on.
///
/// libyaml reports a tab in indentation as "found character that cannot start any token"
/// and bad UTF-8 as a byte offset; both read better as "tab character in indentation" and
/// "invalid UTF-8 byte 0xff" at a line and column. The refiner looks at the source text only
/// when parsing has already failed, so the happy path pays nothing for it.
struct YAMLErrorRefiner {
    let source: [UInt8]
    let file: String

    func refine(_ failure: YAMLParser.ParseFailure) -> YAMLError {
        switch failure {
        case .reader(let problem, let byteOffset, let value):
            return readerError(problem: problem, byteOffset: byteOffset, value: value)
        case .located(let error):
            guard error.code == .syntax, let tab = tabInIndentation(near: error.location.line) else {
                return error
            }
            return YAMLError(
                code: .tab, message: "tab character in indentation; YAML indents with spaces only",
                location: SourceLocation(file: file, position: tab))
        }
    }

    private func readerError(problem: String, byteOffset: Int, value: Int32) -> YAMLError {
        let position = self.position(ofByte: min(byteOffset, source.count))
        let location = SourceLocation(file: file, position: position)
        if problem.contains("control characters") {
            let code = String(value, radix: 16, uppercase: true)
            return YAMLError(
                code: .invalidUTF8,
                message:
                    "control character U+\(String(repeating: "0", count: max(0, 4 - code.count)))\(code) is not allowed in YAML",
                location: location)
        }
        let byte = byteOffset < source.count ? source[byteOffset] : UInt8(truncatingIfNeeded: value)
        let hex = String(byte, radix: 16)
        return YAMLError(
            code: .invalidUTF8,
            message: "invalid UTF-8 byte 0x\(hex.count == 1 ? "0" + hex : hex) (\(problem)); rbx reads UTF-8 only",
            location: location)
    }

    /// The 1-based position of a byte offset, counting columns in characters as libyaml does.
    func position(ofByte offset: Int) -> SourcePosition {
        var line = 1
        var lineStart = 0
        for index in 0..<offset where source[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // Count scalars, not bytes: continuation bytes (10xxxxxx) do not start a character.
        let column = source[lineStart..<offset].reduce(into: 1) { count, byte in
            if byte & 0xC0 != 0x80 { count += 1 }
        }
        return SourcePosition(line: line, column: column)
    }

    /// A tab inside the leading whitespace of the failing line or the line before it.
    private func tabInIndentation(near line: Int) -> SourcePosition? {
        let lines = source.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for candidate in [line, line - 1, line + 1] where candidate >= 1 && candidate <= lines.count {
            var column = 1
            for byte in lines[lines.startIndex + candidate - 1] {
                if byte == UInt8(ascii: "\t") { return SourcePosition(line: candidate, column: column) }
                if byte != UInt8(ascii: " ") { break }
                column += 1
            }
        }
        return nil
    }
}
