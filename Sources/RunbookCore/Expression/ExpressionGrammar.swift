/// The recursive-descent parser behind ``ExpressionParser``, one method per grammar rule.
///
/// It holds a single token of lookahead (`token`); paths are read straight from the lexer so
/// that `.` and `[` only continue a path when glued to it (`a .b` is an error, not `a.b`).
struct ExpressionGrammar {
    private var lexer: ExpressionLexer
    private var token: ExpressionToken
    private var depth = 0

    /// `and`, `or`, `not`, `in`, `true`, `false`, `null`. A switch rather than a `Set`: every
    /// operand asks, and hashing the word cost more than comparing it with seven short strings.
    private static func isKeyword(_ word: String) -> Bool {
        switch word {
        case "and", "or", "not", "in", "true", "false", "null": true
        default: false
        }
    }

    init(_ lexer: ExpressionLexer) throws(ExpressionSyntaxError) {
        self.lexer = lexer
        self.token = try self.lexer.next()
    }

    /// Where the token before `token` ended, so postfix `[` and `.` can insist on being glued
    /// to what they follow (`f(x)[0]`, not `f(x) [0]`).
    private var previousEnd = 0

    private mutating func advance() throws(ExpressionSyntaxError) {
        previousEnd = lexer.offset
        token = try lexer.next()
    }

    private var isGlued: Bool { token.offset == previousEnd }

    private func error(_ message: String, at offset: Int? = nil) -> ExpressionSyntaxError {
        ExpressionSyntaxError(message, at: offset ?? token.offset)
    }

    mutating func parseCondition() throws(ExpressionSyntaxError) -> Expression {
        if token.kind == .end { throw error("empty condition", at: 0) }
        let expression = try parseOr(after: nil)
        guard token.kind == .end else { throw unexpectedAfterOperand() }
        return expression
    }

    /// The inside of a `{{ }}`: one expression, whose emptiness the caller has checked.
    mutating func parseInterpolated() throws(ExpressionSyntaxError) -> Expression {
        let expression = try parseOr(after: nil)
        guard token.kind == .end else { throw unexpectedAfterOperand(inBraces: true) }
        return expression
    }

    /// `or := and { "or" and }`
    private mutating func parseOr(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let first = try parseAnd(after: context)
        // Most expressions are a single operand: no list for them.
        guard token.isWord("or") else { return first }
        var items = [first]
        while token.isWord("or") {
            try advance()
            items.append(try parseAnd(after: "or"))
        }
        return chain(items, isAnd: false)
    }

    /// `and := unary { "and" unary }`
    private mutating func parseAnd(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let first = try parseUnary(after: context)
        guard token.isWord("and") else { return first }
        var items = [first]
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

    /// `compare := sum [ op sum ]`; a second operator is refused, not left-nested.
    private mutating func parseCompare(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let lhs = try parseSum(after: context)
        let offset = token.offset
        guard let op = try comparisonOperator() else { return lhs }
        let rhs = try parseSum(after: op.rawValue)
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

    /// `sum := product { ("+" | "-") product }`
    private mutating func parseSum(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        try parseArithmetic(multiplicative: false, after: context)
    }

    /// A `sum`, or with `multiplicative` a `product := prefix { ("*" | "/" | "%") prefix }`;
    /// left to right, each operator counting as a level of nesting.
    private mutating func parseArithmetic(
        multiplicative: Bool, after context: String?
    ) throws(ExpressionSyntaxError) -> Expression {
        var result = try arithmeticOperand(multiplicative, after: context)
        let outer = depth
        while case .arithmetic(let op) = token.kind, op.isMultiplicative == multiplicative {
            let offset = token.offset
            try enter()
            try advance()
            result = .arithmetic(op, result, try arithmeticOperand(multiplicative, after: op.rawValue), offset: offset)
        }
        depth = outer
        return result
    }

    private mutating func arithmeticOperand(
        _ multiplicative: Bool, after context: String?
    ) throws(ExpressionSyntaxError) -> Expression {
        multiplicative ? try parsePrefix(after: context) : try parseArithmetic(multiplicative: true, after: context)
    }

    /// `prefix := "-" prefix | postfix`; `-` before a number or duration literal makes a
    /// negative literal, so `-0.5` prints and compares as the number it is.
    private mutating func parsePrefix(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        guard token.kind == .arithmetic(.subtract) else { return try parsePostfix(after: context) }
        let offset = token.offset
        try enter()
        try advance()
        let operand = try parsePrefix(after: "-")
        depth -= 1
        switch operand {
        case .literal(.number(let value), _): return .literal(.number(-value), offset: offset)
        case .duration(let seconds, _): return .duration(-seconds, offset: offset)
        default: return .negate(operand, offset: offset)
        }
    }

    /// `postfix := operand { "[" expr "]" | "." name }`, each glued to what it follows.
    private mutating func parsePostfix(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        var result = try parseOperand(after: context)
        switch result {
        case .literal, .duration: return result
        default: break
        }
        let outer = depth
        defer { depth = outer }
        while isGlued {
            let offset = token.offset
            if token.kind == .leftBracket {
                try enter()
                try advance()
                let key = try parseOr(after: "[")
                guard token.kind == .rightBracket else {
                    throw token.kind == .end ? error(#"unclosed "[""#, at: offset) : unexpectedAfterOperand()
                }
                try advance()
                result = Self.index(result, key, offset: offset)
            } else if token.kind == .dot {
                try enter()
                try advance()
                guard isGlued, case .word(let name) = token.kind else {
                    throw error(#"expected a name after ".""#, at: offset + 1)
                }
                result = Self.index(result, .literal(.string(name), offset: token.offset), offset: offset)
                try advance()
            } else {
                break
            }
        }
        return result
    }

    /// `path[("name")]` is the path `path.name`: one tree for one meaning, so printing and
    /// parsing again give the same expression.
    private static func index(_ base: Expression, _ key: Expression, offset: Int) -> Expression {
        if case .path(var path) = base, case .literal(.string(let name), _) = key {
            path.components.append(name)
            return .path(path)
        }
        return .index(base, key, offset: offset)
    }

    /// `operand := path | call | string | number | duration | true | false | null | list
    /// | "(" expr ")"`
    private mutating func parseOperand(after context: String?) throws(ExpressionSyntaxError) -> Expression {
        let offset = token.offset
        switch token.kind {
        case .word(let word) where word == "true" || word == "false":
            try advance()
            return .literal(.bool(word == "true"), offset: offset)
        case .word("null"):
            try advance()
            return .literal(.null, offset: offset)
        case .word(let word) where !Self.isKeyword(word):
            if lexer.peek() == UInt8(ascii: "(") { return try parseCall(word) }
            try refuseCapitalizedKeyword(word)
            // Room for `steps.check.outputs.used` without growing the array on the way.
            var components: [String] = []
            components.reserveCapacity(4)
            components.append(word)
            try ExpressionParser.continuePath(&components, lexer: &lexer)
            try advance()
            return .path(ExpressionPath(components: components, offset: offset))
        case .number(let value):
            try advance()
            return .literal(.number(value), offset: offset)
        case .duration(let seconds):
            try advance()
            return .duration(seconds, offset: offset)
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

    /// `"[" [ expr ( comprehension | { "," expr } ) ] "]"`
    private mutating func parseList() throws(ExpressionSyntaxError) -> Expression {
        let open = token.offset
        try enter()
        try advance()
        let items = try parseItems(closer: .rightBracket, open: open, allowsComprehension: true)
        depth -= 1
        if items.count == 1, case .comprehension = items[0] { return items[0] }
        return .list(items, offset: open)
    }

    /// `name "(" [ expr ( comprehension | { "," expr } ) ] ")"`, for a function rbx knows,
    /// given the right number of arguments.
    private mutating func parseCall(_ name: String) throws(ExpressionSyntaxError) -> Expression {
        let offset = token.offset
        guard let function = ExpressionFunction(rawValue: name) else {
            let names = ExpressionFunction.allCases.map(\.rawValue)
            throw error("unknown function \"\(name)\"" + Suggestion.didYouMean(name, in: names), at: offset)
        }
        try enter()
        try advance()
        let open = token.offset
        try advance()
        let arguments = try parseItems(closer: .rightParen, open: open, allowsComprehension: function.takesList)
        depth -= 1
        if let problem = function.arityProblem(arguments.count) { throw error(problem, at: offset) }
        return .call(name, arguments, offset: offset)
    }

    /// The items of a list or arguments of a call, up to and including the `closer`; a single
    /// item may be followed by `for NAME in LIST [if FILTER]`.
    private mutating func parseItems(
        closer: ExpressionToken.Kind, open: Int, allowsComprehension: Bool
    ) throws(ExpressionSyntaxError) -> [Expression] {
        let opener = closer == .rightBracket ? "[" : "("
        var items: [Expression] = []
        if token.kind == closer {
            try advance()
            return items
        }
        while true {
            items.append(try parseOr(after: items.isEmpty ? opener : ","))
            if items.count == 1, token.isWord("for") {
                guard allowsComprehension else { throw error(#"this function does not take a "for" list"#) }
                items[0] = try parseComprehension(element: items[0])
            }
            switch token.kind {
            case .comma where items.count == 1 && isComprehension(items[0]):
                throw error(#"a "for" list must be the only item; put it in its own [ ] or ( )"#)
            case .comma:
                try advance()
                continue
            case closer: try advance()
            case .end: throw error("unclosed \"\(opener)\"", at: open)
            case .rightParen, .rightBracket, .dot: throw error("unexpected \(token.quoted)")
            default: throw error("expected \",\" or \"\(closer == .rightBracket ? "]" : ")")\" before \(token.quoted)")
            }
            return items
        }
    }

    private func isComprehension(_ expression: Expression) -> Bool {
        if case .comprehension = expression { return true }
        return false
    }

    /// `"for" name "in" sum [ "if" expr ]` after the element expression.
    private mutating func parseComprehension(element: Expression) throws(ExpressionSyntaxError) -> Expression {
        try advance()
        guard case .word(let variable) = token.kind, ExpressionPath.isIdentifier(variable),
            !Self.isKeyword(variable)
        else { throw error(#"expected a name after "for", as in "x > 90 for x in steps.df.outputs.used""#) }
        if ReferenceFields.roots.contains(variable) || variable == "now" {
            throw error("\"\(variable)\" already names what conditions refer to; choose another name")
        }
        try advance()
        guard token.isWord("in") else { throw error(#"expected "in" after "for \#(variable)""#) }
        try advance()
        let list = try parseSum(after: "in")
        var filter: Expression?
        if token.isWord("if") {
            try advance()
            filter = try parseOr(after: "if")
        }
        return .comprehension(
            element: element, variable: variable, list: list, filter: filter, offset: element.startOffset)
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
        // Lowercasing allocates; a word without a capital letter is never a capitalized keyword.
        guard word.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return }
        let lowered = word.lowercased()
        if lowered != word, Self.isKeyword(lowered) {
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
    private func unexpectedAfterOperand(inBraces: Bool = false) -> ExpressionSyntaxError {
        if case .word(let word) = token.kind {
            let lowered = word.lowercased()
            if lowered != word, Self.isKeyword(lowered) {
                return error("keywords are lowercase: write \"\(lowered)\", not \"\(word)\"")
            }
        }
        if token.isCloser { return error("unexpected \(token.quoted)") }
        if inBraces { return error("expected an operator or \"}}\" before \(token.quoted)") }
        return error("expected an operator before \(token.quoted)")
    }
}
