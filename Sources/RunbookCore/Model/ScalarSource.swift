public import RunbookYAML

/// Where a scalar's text sits in its file, precise enough to point inside it.
///
/// An expression error at offset 17 of `when: steps.disk.ok and` must be reported at the
/// column of that character in the file, which depends on quoting and block style.
public struct ScalarSource: Sendable, Hashable {
    public var location: SourceLocation
    public var style: YAMLScalar.Style
    /// For block scalars (`|`, `>`): the column (1-based) where content lines start.
    public var blockContentColumn: Int?

    public init(location: SourceLocation, style: YAMLScalar.Style, blockContentColumn: Int? = nil) {
        self.location = location
        self.style = style
        self.blockContentColumn = blockContentColumn
    }

    /// The file position of the character at `offset` (in Unicode scalars) of `text`.
    public func location(atOffset offset: Int, in text: String) -> SourceLocation {
        var line = 0
        var column = 0
        for (index, scalar) in text.unicodeScalars.enumerated() {
            if index == offset { break }
            if scalar == "\n" {
                line += 1
                column = 0
            } else {
                column += 1
            }
        }
        var result = location
        switch style {
        case .literal, .folded:
            result.position = SourcePosition(
                line: location.line + 1 + line, column: (blockContentColumn ?? location.column) + column)
        case .plain, .singleQuoted, .doubleQuoted:
            guard line == 0 else { return location }
            let quote = style == .plain ? 0 : 1
            result.position = SourcePosition(line: location.line, column: location.column + quote + column)
        }
        return result
    }
}
