/// The slow path of ``Interpolation/parse(_:)``: splits text holding `{{` into segments.
///
/// A quoted string inside the braces is literal text: `{{ '{{' }}.Names{{ '}}' }}` renders
/// `{{.Names}}`, the escape for Go templates (`docker --format`, `kubectl -o go-template`).
///
/// Works on UTF-8 bytes, counting scalars as it goes, so offsets match the condition parser's
/// and lint can map them to file columns the same way.
struct InterpolationScanner {
    private let bytes: [UInt8]
    private static let brace = (open: UInt8(ascii: "{"), close: UInt8(ascii: "}"))

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    func scan() throws(ExpressionSyntaxError) -> Interpolation {
        var segments: [Interpolation.Segment] = []
        var textStart = 0
        var index = 0
        var offset = 0
        while index < bytes.count {
            guard isPair(at: index, Self.brace.open) else {
                if bytes[index] & 0xC0 != 0x80 { offset += 1 }
                index += 1
                continue
            }
            let (close, contentScalars) = try closing(after: index, openOffset: offset)
            let segment = try parseSegment(from: index + 2, to: close, offset: offset + 2, openOffset: offset)
            if textStart < index { append(.text(text(textStart..<index)), to: &segments) }
            append(segment, to: &segments)
            offset += 2 + contentScalars + 2
            index = close + 2
            textStart = index
        }
        if textStart < bytes.count { append(.text(text(textStart..<bytes.count)), to: &segments) }
        return Interpolation(segments: segments)
    }

    /// Appends a segment, joining adjacent texts so a literal string merges with its neighbours.
    private func append(_ segment: Interpolation.Segment, to segments: inout [Interpolation.Segment]) {
        if case .text(let new) = segment, case .text(let previous)? = segments.last {
            segments[segments.count - 1] = .text(previous + new)
        } else {
            segments.append(segment)
        }
    }

    private func isPair(at index: Int, _ brace: UInt8) -> Bool {
        index + 1 < bytes.count && bytes[index] == brace && bytes[index + 1] == brace
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }

    /// The byte index of the `}}` closing the `{{` at `open`, and the scalar count between.
    /// A second `{{` before any `}}` means the first one was never closed; braces inside a
    /// quoted string do not count.
    private func closing(after open: Int, openOffset: Int) throws(ExpressionSyntaxError) -> (Int, Int) {
        var index = open + 2
        var scalars = 0
        var quote: UInt8?
        var quoteOffset = 0
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == UInt8(ascii: "\\") && index + 1 < bytes.count {
                    index += 2
                    scalars += 2
                    continue
                }
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
                quoteOffset = openOffset + 2 + scalars
            } else if isPair(at: index, Self.brace.close) {
                return (index, scalars)
            } else if isPair(at: index, Self.brace.open) {
                break
            }
            if bytes[index] & 0xC0 != 0x80 { scalars += 1 }
            index += 1
        }
        if quote != nil { throw ExpressionSyntaxError("unterminated string", at: quoteOffset) }
        throw ExpressionSyntaxError(#"unterminated "{{"; close it with "}}""#, at: openOffset)
    }

    /// The expression between `{{` and `}}`; a lone quoted string is literal text.
    private func parseSegment(
        from start: Int, to end: Int, offset: Int, openOffset: Int
    ) throws(ExpressionSyntaxError) -> Interpolation.Segment {
        var lexer = ExpressionLexer(bytes: bytes, start: start, end: end, offset: offset)
        lexer.skipWhitespace()
        if lexer.isAtEnd {
            throw ExpressionSyntaxError(
                #"empty "{{ }}"; put a value inside, such as {{ alert.name }}"#, at: openOffset)
        }
        let expression = try ExpressionParser.parseInterpolated(lexer)
        if case .literal(.string(let text), _) = expression { return .text(text) }
        return .expression(expression)
    }
}
