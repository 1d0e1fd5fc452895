/// One lexical unit of a condition, with its position and spelling for error messages.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// An identifier; keywords (`and`, `not`, `true`, …) too, since after a `.` they are
        /// ordinary path components (`alert.labels.in`), and the parser decides by position.
        case word(String)
        case number(Double)
        /// `5m`, `1h30m`, `250ms`: a duration in seconds.
        case duration(Double)
        case string(String)
        case comparison(ExpressionOperator)
        case arithmetic(ArithmeticOperator)
        case leftParen, rightParen, leftBracket, rightBracket, comma, dot
        case end
    }

    var kind: Kind
    /// Scalar offset of the token's first character.
    var offset: Int
    /// The token as written, for messages.
    var spelling: String

    func isWord(_ word: String) -> Bool {
        if case .word(let spelled) = kind { return spelled == word }
        return false
    }

    /// The token quoted for a message: `"and"`, `"x"` for a string literal (its own quotes),
    /// `the end of the condition`. Long spellings are shortened.
    var quoted: String {
        if kind == .end { return "the end of the condition" }
        var text = spelling
        if text.unicodeScalars.count > 30 {
            text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(29))) + "…"
        }
        if case .string = kind { return text }
        return "\"" + text + "\""
    }

    /// Tokens that cannot start an operand and only make sense after one: `)`, `]`, `,`, `.`.
    var isCloser: Bool {
        switch kind {
        case .rightParen, .rightBracket, .comma, .dot: true
        default: false
        }
    }
}
