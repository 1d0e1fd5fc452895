/// Splits condition text into tokens, on demand, over UTF-8 bytes.
///
/// Bytes rather than `Character`s because every token is ASCII and grapheme breaking is slow;
/// the scalar offset is tracked alongside (a byte starts a scalar unless it is `10xxxxxx`).
/// The parser pulls one token at a time, so the first problem in reading order is reported.
struct ExpressionLexer {
    static let maximumDurationSeconds: Int64 = 10_000 * 86_400
    let bytes: [UInt8]
    /// One past the last byte to read: interpolation lexes only the inside of `{{ }}`.
    let end: Int
    private(set) var position: Int
    /// The scalar offset of `position`.
    private(set) var offset: Int

    init(bytes: [UInt8], start: Int = 0, end: Int? = nil, offset: Int = 0) {
        self.bytes = bytes
        self.end = min(end ?? bytes.count, bytes.count)
        self.position = start
        self.offset = offset
    }

    var isAtEnd: Bool { position >= end }

    /// The byte at `position + distance`, or nil past the end.
    func peek(_ distance: Int = 0) -> UInt8? {
        position + distance < end ? bytes[position + distance] : nil
    }

    mutating func skipWhitespace() {
        while let byte = peek(), DecimalText.isSpace(byte) { advance() }
    }

    /// Moves past the byte at `position`, which the caller has peeked at (the `.` inside a
    /// path): cheaper than ``next()``, which would spell out a token only to drop it.
    mutating func skipByte() {
        advance()
    }

    /// Moves past one byte, counting a scalar if the byte starts one.
    private mutating func advance() {
        if bytes[position] & 0xC0 != 0x80 { offset += 1 }
        position += 1
    }

    private func text(from start: Int) -> String {
        String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func next() throws(ExpressionSyntaxError) -> ExpressionToken {
        skipWhitespace()
        let start = position
        let startOffset = offset
        guard let byte = peek() else { return ExpressionToken(kind: .end, offset: offset, spelling: "") }
        func token(_ kind: ExpressionToken.Kind, length: Int) -> ExpressionToken {
            for _ in 0..<length { advance() }
            return ExpressionToken(kind: kind, offset: startOffset, spelling: text(from: start))
        }
        func refuse(_ message: String) -> ExpressionSyntaxError { ExpressionSyntaxError(message, at: startOffset) }
        let following = peek(1)
        switch byte {
        case _ where ExpressionPath.isIdentifierStart(byte):
            let word = identifier() ?? ""
            return ExpressionToken(kind: .word(word), offset: startOffset, spelling: word)
        case _ where DecimalText.isDigit(byte):
            return try number()
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let value = try string()
            return ExpressionToken(kind: .string(value), offset: startOffset, spelling: text(from: start))
        case UInt8(ascii: "("): return token(.leftParen, length: 1)
        case UInt8(ascii: ")"): return token(.rightParen, length: 1)
        case UInt8(ascii: "["): return token(.leftBracket, length: 1)
        case UInt8(ascii: "]"): return token(.rightBracket, length: 1)
        case UInt8(ascii: ","): return token(.comma, length: 1)
        case UInt8(ascii: "."): return token(.dot, length: 1)
        case UInt8(ascii: "+"): return token(.arithmetic(.add), length: 1)
        case UInt8(ascii: "-"): return token(.arithmetic(.subtract), length: 1)
        case UInt8(ascii: "*"): return token(.arithmetic(.multiply), length: 1)
        case UInt8(ascii: "/"): return token(.arithmetic(.divide), length: 1)
        case UInt8(ascii: "%"): return token(.arithmetic(.remainder), length: 1)
        case UInt8(ascii: "="):
            switch following {
            case UInt8(ascii: "="): return token(.comparison(.equal), length: 2)
            case UInt8(ascii: "~"): return token(.comparison(.matches), length: 2)
            case UInt8(ascii: ">"): throw refuse(#""=>" is not an operator; did you mean ">="?"#)
            case UInt8(ascii: "<"): throw refuse(#""=<" is not an operator; did you mean "<="?"#)
            default: throw refuse(#""=" is not an operator; did you mean "=="?"#)
            }
        case UInt8(ascii: "!"):
            switch following {
            case UInt8(ascii: "="): return token(.comparison(.notEqual), length: 2)
            case UInt8(ascii: "~"): return token(.comparison(.doesNotMatch), length: 2)
            default: throw refuse(#""!" is not an operator; use "not""#)
            }
        case UInt8(ascii: "<"):
            switch following {
            case UInt8(ascii: "="): return token(.comparison(.lessOrEqual), length: 2)
            case UInt8(ascii: ">"): throw refuse(#""<>" is not an operator; did you mean "!="?"#)
            default: return token(.comparison(.less), length: 1)
            }
        case UInt8(ascii: ">"):
            return following == UInt8(ascii: "=")
                ? token(.comparison(.greaterOrEqual), length: 2) : token(.comparison(.greater), length: 1)
        case UInt8(ascii: "&"):
            throw refuse(
                following == byte ? #""&&" is not an operator; use "and""# : #""&" is not an operator; use "and""#)
        case UInt8(ascii: "|"):
            throw refuse(
                following == byte ? #""||" is not an operator; use "or""# : #""|" is not an operator; use "or""#)
        case UInt8(ascii: "~") where following == UInt8(ascii: "="):
            throw refuse(#""~=" is not an operator; did you mean "=~"?"#)
        default:
            throw refuse("unexpected character " + describeCharacter())
        }
    }

    /// Reads `[A-Za-z_][A-Za-z0-9_-]*` at the current position, or returns nil.
    mutating func identifier() -> String? {
        guard let first = peek(), ExpressionPath.isIdentifierStart(first) else { return nil }
        let start = position
        advance()
        while let byte = peek(), ExpressionPath.isIdentifierContinuation(byte) { advance() }
        return text(from: start)
    }

    /// Reads `[0-9]+(.[0-9]+)?` or a duration (`90s`, `1h30m`); anything number-like glued to
    /// it (`90x`, `1.`, `1.2.3`) is one invalid number rather than a confusing pair of tokens.
    /// A minus sign is an operator: the parser folds `-5` into a negative literal.
    private mutating func number() throws(ExpressionSyntaxError) -> ExpressionToken {
        let start = position
        let startOffset = offset
        advance()
        while let byte = peek(), byte != UInt8(ascii: "-"),
            ExpressionPath.isIdentifierContinuation(byte) || byte == UInt8(ascii: ".")
        {
            advance()
        }
        let spelling = text(from: start)
        if ExpressionPath.isIdentifierStart(bytes[position - 1]) {
            guard case .success(let duration) = Duration.parseRunbookDuration(spelling) else {
                throw ExpressionSyntaxError(
                    "invalid number \"\(spelling)\"; a duration is written like 30s, 5m, 1h30m or 250ms",
                    at: startOffset)
            }
            // Bounded so that printing it back (in milliseconds) cannot overflow.
            guard duration <= .seconds(Self.maximumDurationSeconds) else {
                throw ExpressionSyntaxError("duration \"\(spelling)\" is longer than 10000 days", at: startOffset)
            }
            let seconds = Double(duration.totalMilliseconds) / 1000
            return ExpressionToken(kind: .duration(seconds), offset: startOffset, spelling: spelling)
        }
        guard DecimalText.isDecimal(bytes[start..<position]) else {
            throw ExpressionSyntaxError("invalid number \"\(spelling)\"", at: startOffset)
        }
        guard let value = Double(spelling), value.isFinite else {
            let shown = spelling.count > 20 ? spelling.prefix(20) + "…" : spelling[...]
            throw ExpressionSyntaxError("number \"\(shown)\" is too large", at: startOffset)
        }
        return ExpressionToken(kind: .number(value), offset: startOffset, spelling: spelling)
    }

    /// Reads a `"…"` or `'…'` literal at the current position and returns its value.
    mutating func string() throws(ExpressionSyntaxError) -> String {
        let quoteOffset = offset
        let quote = bytes[position]
        advance()
        var value: [UInt8] = []
        while let byte = peek() {
            if byte == quote {
                advance()
                return String(decoding: value, as: UTF8.self)
            }
            guard byte == UInt8(ascii: "\\") else {
                value.append(byte)
                advance()
                continue
            }
            let escapeOffset = offset
            advance()
            guard let escaped = peek() else { break }
            switch escaped {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): value.append(escaped)
            case UInt8(ascii: "n"): value.append(UInt8(ascii: "\n"))
            case UInt8(ascii: "t"): value.append(UInt8(ascii: "\t"))
            default:
                let shown = describeCharacter()
                let character = String(decoding: bytes[position..<scalarEnd()], as: UTF8.self)
                let message =
                    shown.hasPrefix("U+")
                    ? "unknown escape: a backslash followed by \(shown); write \"\\\\\" for a literal backslash"
                    : "unknown escape \"\\\(character)\"; write \"\\\\\(character)\" for a literal backslash"
                throw ExpressionSyntaxError(message, at: escapeOffset)
            }
            advance()
        }
        throw ExpressionSyntaxError("unterminated string", at: quoteOffset)
    }

    /// One past the last byte of the scalar at `position`.
    private func scalarEnd() -> Int {
        var index = position + 1
        while index < end, bytes[index] & 0xC0 == 0x80 { index += 1 }
        return index
    }

    /// The character at the current position for a message: `"+"`, or `U+00A0` when it is
    /// invisible or would confuse (spaces, controls, format characters).
    func describeCharacter() -> String {
        let text = String(decoding: bytes[position..<scalarEnd()], as: UTF8.self)
        guard let scalar = text.unicodeScalars.first else { return "\"\(text)\"" }
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned,
            .privateUse, .surrogate, .nonspacingMark, .enclosingMark, .spacingMark:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        default:
            return "\"\(text)\""
        }
    }
}
