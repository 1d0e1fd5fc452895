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

    /// Parses the inside of a `{{ }}`, which the lexer is limited to.
    static func parseInterpolated(_ lexer: ExpressionLexer) throws(ExpressionSyntaxError) -> Expression {
        var grammar = try ExpressionGrammar(lexer)
        return try grammar.parseInterpolated()
    }

    /// Reads the `.name` and `["name"]` parts glued to a path's first identifier.
    static func continuePath(_ components: inout [String], lexer: inout ExpressionLexer) throws(ExpressionSyntaxError) {
        while let byte = lexer.peek() {
            if byte == UInt8(ascii: ".") {
                lexer.skipByte()
                let nameOffset = lexer.offset
                guard let name = lexer.identifier() else {
                    throw ExpressionSyntaxError(#"expected a name after ".""#, at: nameOffset)
                }
                components.append(name)
            } else if byte == UInt8(ascii: "[") {
                var ahead = lexer
                let bracket = try ahead.next()
                ahead.skipWhitespace()
                // `samples[0]` or `labels[name]`: an index the grammar reads after the path.
                guard let quote = ahead.peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                    return
                }
                lexer = ahead
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
