/// Parses conditions: `steps.verify.ok and alert.labels.env == "prod"`.
///
/// The grammar is in docs/format.md ("Conditions"). Parsing happens once, at load time, so a
/// mistake is a lint error with a position rather than a surprise during an incident.
public enum ExpressionParser {
    /// How deeply parentheses, lists and `not` may nest. Bounded so that hostile or generated
    /// input gets an error instead of overflowing the stack (of the parser, or of evaluation).
    public static let maximumDepth = 64

    public static func parse(_ source: String) throws(ExpressionSyntaxError) -> Expression {
        var grammar = try ExpressionGrammar(ExpressionLexer(bytes: Array(source.utf8)))
        return try grammar.parseCondition()
    }

    /// Parses a path alone, such as the inside of `{{ }}`, from a lexer positioned at it.
    static func parsePath(_ lexer: inout ExpressionLexer) throws(ExpressionSyntaxError) -> ExpressionPath? {
        let offset = lexer.offset
        guard let first = lexer.identifier() else { return nil }
        var components = [first]
        try continuePath(&components, lexer: &lexer)
        return ExpressionPath(components: components, offset: offset)
    }

    /// Reads the `.name` and `["name"]` parts glued to a path's first identifier.
    static func continuePath(_ components: inout [String], lexer: inout ExpressionLexer) throws(ExpressionSyntaxError) {
        while let byte = lexer.peek() {
            if byte == UInt8(ascii: ".") {
                _ = try lexer.next()
                let nameOffset = lexer.offset
                guard let name = lexer.identifier() else {
                    throw ExpressionSyntaxError(#"expected a name after ".""#, at: nameOffset)
                }
                components.append(name)
            } else if byte == UInt8(ascii: "[") {
                let bracket = try lexer.next()
                lexer.skipWhitespace()
                guard let quote = lexer.peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    throw ExpressionSyntaxError(
                        #"expected a quoted name after "[", as in labels["app.kubernetes.io/name"]"#, at: lexer.offset)
                }
                components.append(try lexer.string())
                lexer.skipWhitespace()
                guard lexer.peek() == UInt8(ascii: "]") else {
                    throw ExpressionSyntaxError(
                        #"expected "]" to close "[""#, at: lexer.isAtEnd ? bracket.offset : lexer.offset)
                }
                _ = try lexer.next()
            } else {
                return
            }
        }
    }
}
