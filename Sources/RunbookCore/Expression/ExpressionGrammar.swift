/// The recursive-descent parser behind ``ExpressionParser``, one method per grammar rule.
///
/// It holds a single token of lookahead (`token`); paths are read straight from the lexer so
/// that `.` and `[` only continue a path when glued to it (`a .b` is an error, not `a.b`).
struct ExpressionGrammar {
    private var lexer: ExpressionLexer
    private var token: ExpressionToken
    private var depth = 0

    private static let keywords: Set<String> = ["and", "or", "not", "in", "true", "false", "null"]

    init(_ lexer: ExpressionLexer) throws(ExpressionSyntaxError) {
        self.lexer = lexer
        self.token = try self.lexer.next()
    }

    private mutating func advance() throws(ExpressionSyntaxError) {
        token = try lexer.next()
    }

    private func error(_ message: String, at offset: Int? = nil) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message, at: offset ?? token.offset)
    }

    mutating func parseCondition() throws(ExpressionSyntaxError) -> Expression {
        if token.kind == .end { throw error("empty condition", at: 0) }
        let expression = try parseOr(after: nil)
        guard token.kind == .end else { throw unexpectedAfterOperand() }
        return expression
    }

    /// `or := and { "or" and }`
    private mutating func parseOr(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        var items = [try parseAnd(after: context)]
        while token.isWord("or") {
            try advance()
            items.append(try parseAnd(after: "or"))
        }
        return chain(items, isAnd: false)
    }

    /// `and := unary { "and" unary }`
    private mutating func parseAnd(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        var items = [try parseUnary(after: context)]
        while token.isWord("and") {
            try advance()
            items.append(try parseUnary(after: "and"))
        }
        return chain(items, isAnd: true)
    }

    /// One operand stays itself; operands that are the same chain (from parentheses) are
    /// spliced in, so `(a and b) and c` and `a and b and c` are the same expression.
    private func chain(_ items: [Expression], isAnd: Bool) -> Expression {
        guard items.count > 1 else { return items[0] }
        var flat: [Expression] = []
        for item in items {
            switch (item, isAnd) {
            case (.and(let inner, _), true), (.or(let inner, _), false): flat += inner
            default: flat.append(item)
            }
        }
        return isAnd ? .and(flat, offset: items[0].startOffset) : .or(flat, offset: items[0].startOffset)
    }

    /// `unary := "not" unary | compare`
    private mutating func parseUnary(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        guard token.isWord("not") else { return try parseCompare(after: context) }
        let offset = token.offset
        try enter()
        try advance()
        let operand = try parseUnary(after: "not")
        depth -= 1
        return .not(operand, offset: offset)
    }

    /// `compare := operand [ op operand ]`; a second operator is refused, not left-nested.
    private mutating func parseCompare(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let lhs = try parseOperand(after: context)
        let offset = token.offset
        guard let op = try comparisonOperator() else { return lhs }
        let rhs = try parseOperand(after: op.rawValue)
        if isComparisonStart {
            throw error(#"comparisons cannot be chained; combine them with "and""#)
        }
        return .compare(op, lhs, rhs, offset: offset)
    }

    private var isComparisonStart: Bool {
        if case .comparison = token.kind { return true }
        return token.isWord("in") || token.isWord("not")
    }

    /// Consumes a comparison operator (`not in` is two words) if one is next.
    private mutating func comparisonOperator() throws(ExpressionSyntaxError) -> ExpressionOperator? {
        if case .comparison(let op) = token.kind {
            try advance()
            return op
        }
        if token.isWord("in") {
            try advance()
            return .in
        }
        guard token.isWord("not") else { return nil }
        try advance()
        guard token.isWord("in") else { throw error(#"expected "in" after "not""#) }
        try advance()
        return .notIn
    }

    /// `operand := path | string | number | true | false | null | list | "(" expr ")"`
    private mutating func parseOperand(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let offset = token.offset
        switch token.kind {
        case .word(let word) where word == "true" || word == "false":
            try advance()
            return .literal(.bool(word == "true"), offset: offset)
        case .word("null"):
            try advance()
            return .literal(.null, offset: offset)
        case .word(let word) where !Self.keywords.contains(word):
            try refuseCapitalizedKeyword(word)
            var components = [word]
            try ExpressionParser.continuePath(&components, lexer: &lexer)
            try advance()
            return .path(ExpressionPath(components: components, offset: offset))
        case .number(let value):
            try advance()
            return .literal(.number(value), offset: offset)
        case .string(let value):
            try advance()
            return .literal(.string(value), offset: offset)
        case .leftParen:
            return try parseParenthesised()
        case .leftBracket:
            return try parseList()
        default:
            throw missingOperand(after: context)
        }
    }

    private mutating func parseParenthesised() throws(ExpressionSyntaxError) -> Expression {
        let open = token.offset
        try enter()
        try advance()
        let inner = try parseOr(after: "(")
        switch token.kind {
        case .rightParen: try advance()
        case .end: throw error(#"unclosed "(""#, at: open)
        default: throw unexpectedAfterOperand()
        }
        depth -= 1
        return inner
    }

    /// `"[" [ operand { "," operand } ] "]"`
    private mutating func parseList() throws(ExpressionSyntaxError) -> Expression {
        let open = token.offset
        try enter()
        try advance()
        var items: [Expression] = []
        if token.kind == .rightBracket {
            try advance()
        } else {
            while true {
                items.append(try parseOperand(after: items.isEmpty ? "[" : ","))
                switch token.kind {
                case .comma:
                    try advance()
                    continue
                case .rightBracket: try advance()
                case .end: throw error(#"unclosed "[""#, at: open)
                case .rightParen, .dot: throw error("unexpected \(token.quoted)")
                default: throw error(#"expected "," or "]" before \#(token.quoted)"#)
                }
                break
            }
        }
        depth -= 1
        return .list(items, offset: open)
    }

    /// Counts one level of nesting, refusing to go past ``ExpressionParser/maximumDepth``.
    private mutating func enter() throws(ExpressionSyntaxError) {
        depth += 1
        if depth > ExpressionParser.maximumDepth {
            throw error("nesting deeper than \(ExpressionParser.maximumDepth) levels")
        }
    }

    /// `AND`, `Not`, `True`: keywords are lowercase only; as a path root these are typos.
    private func refuseCapitalizedKeyword(_ word: String) throws(ExpressionSyntaxError) {
        let lowered = word.lowercased()
        if lowered != word, Self.keywords.contains(lowered) {
            throw error("keywords are lowercase: write \"\(lowered)\", not \"\(word)\"")
        }
    }

    /// The error for a token where an operand belongs.
    private func missingOperand(after context: String?) -> ExpressionSyntaxError {
        if let context { return error("expected an operand after \"\(context)\"") }
        if token.isCloser { return error("unexpected \(token.quoted)") }
        return error("expected an operand before \(token.quoted)")
    }

    /// The error for a token after a complete operand that cannot follow it.
    private func unexpectedAfterOperand() -> ExpressionSyntaxError {
        if case .word(let word) = token.kind {
            let lowered = word.lowercased()
            if lowered != word, Self.keywords.contains(lowered) {
                return error("keywords are lowercase: write \"\(lowered)\", not \"\(word)\"")
            }
        }
        if token.isCloser { return error("unexpected \(token.quoted)") }
        return error("expected an operator before \(token.quoted)")
    }
}
