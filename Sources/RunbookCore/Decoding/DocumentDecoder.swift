internal import RunbookYAML

/// Reads typed values out of a YAML tree and collects every problem as a ``Diagnostic``.
///
/// Decoding never stops at the first problem: a missing or malformed value is reported and
/// skipped, so one `rbx lint` run shows the author everything that is wrong in a file.
struct DocumentDecoder {
    let file: String
    let source: [UInt8]
    let ladder: SeverityLadder
    var diagnostics: [Diagnostic] = []
    /// Shared by every document one task decodes (see ``RegexCache``).
    let regexes: RegexCache
    /// The step being decoded, attached to diagnostics for JSON output.
    var stepID: String?
    /// Where paths inside a document (a test's alert file) are resolved from.
    var catalogRoot: String?

    init(file: String, source: [UInt8], ladder: SeverityLadder, regexes: RegexCache = RegexCache()) {
        self.file = file
        self.regexes = regexes
        self.source = source
        self.ladder = ladder
    }

    mutating func error(_ code: String, _ message: String, at location: SourceLocation) {
        diagnostics.append(.error(code, message, at: location, stepID: stepID))
    }

    mutating func warning(_ code: String, _ message: String, at location: SourceLocation) {
        diagnostics.append(.warning(code, message, at: location, stepID: stepID))
    }

    // MARK: Mappings

    /// The entries of a mapping node, with unknown keys reported (and a "did you mean").
    mutating func fields(_ node: YAMLNode, allowed: FormatKeys.KeySet, in what: String) -> MappingFields? {
        guard let entries = node.mapping else {
            error("type", "\(what) must be a mapping, found \(node.kindDescription)", at: node.location)
            return nil
        }
        for entry in entries where !allowed.contains(entry.key) {
            error(
                "unknown-key",
                "unknown key \"\(entry.key)\" in \(what)" + Suggestion.didYouMean(entry.key, in: allowed),
                at: entry.keyLocation(file: file))
        }
        return MappingFields(node: node, entries: entries, what: what)
    }

    mutating func required(_ fields: MappingFields, _ key: String) -> YAMLNode? {
        if let value = fields[key], !(value.scalar?.isNull ?? false) { return value }
        error("missing-key", "\(fields.what) is missing required key \"\(key)\"", at: fields.node.location)
        return nil
    }

    // MARK: Scalars

    mutating func string(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let node else { return nil }
        guard let scalar = node.scalar else {
            error("type", "\(what()) must be a string, found \(node.kindDescription)", at: node.location)
            return nil
        }
        if scalar.isNull { return nil }
        return Located(scalar.value, at: node.location)
    }

    mutating func bool(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Bool? {
        guard let text = string(node, what()) else { return nil }
        switch text.value {
        case "true": return true
        case "false": return false
        default:
            error("type", "\(what()) must be true or false, found \"\(text.value)\"", at: text.location)
            return nil
        }
    }

    mutating func integer(_ node: YAMLNode?, _ what: @autoclosure () -> String, minimum: Int? = nil) -> Int? {
        guard let text = string(node, what()) else { return nil }
        guard let value = Int(text.value) else {
            error("type", "\(what()) must be an integer, found \"\(text.value)\"", at: text.location)
            return nil
        }
        if let minimum, value < minimum {
            error("range", "\(what()) must be at least \(minimum), found \(value)", at: text.location)
            return nil
        }
        return value
    }

    mutating func duration(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Located<Duration>? {
        guard let text = string(node, what()) else { return nil }
        switch Duration.parseRunbookDuration(text.value) {
        case .success(let duration): return Located(duration, at: text.location)
        case .failure(let failure):
            error("duration", "\(what()): \(failure)", at: text.location)
            return nil
        }
    }

    mutating func size(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> ByteSize? {
        guard let text = string(node, what()) else { return nil }
        guard let size = ByteSize(text.value) else {
            error(
                "size", "\(what()): \"\(text.value)\" is not a size; write it like 1MiB, 512KiB or 1048576",
                at: text.location)
            return nil
        }
        return size
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(
        _ node: YAMLNode?, _ what: @autoclosure () -> String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let text = string(node, what()) else { return nil }
        if let value = T(rawValue: text.value) { return value }
        let allowed = T.allCases.map(\.rawValue)
        error(
            "enum",
            "\(what()) must be one of \(allowed.joined(separator: ", ")), found \"\(text.value)\""
                + Suggestion.didYouMean(text.value, in: allowed),
            at: text.location)
        return nil
    }

    /// A name (`[a-z0-9]([a-z0-9-]*[a-z0-9])?`, at most 63 characters).
    mutating func name(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Located<String>? {
        guard let text = string(node, what()) else { return nil }
        if !Self.isName(text.value) {
            error(
                "name",
                "\(what()) \"\(text.value)\" is not a valid name; use lowercase letters, digits and hyphens (like disk-space-low)",
                at: text.location)
        }
        return text
    }

    static func isName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 63 else { return false }
        func alnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
        guard let first = bytes.first, let last = bytes.last, alnum(first), alnum(last) else { return false }
        return bytes.allSatisfy { alnum($0) || $0 == UInt8(ascii: "-") }
    }

    // MARK: Collections

    mutating func list(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> [YAMLNode]? {
        guard let node else { return nil }
        guard let items = node.sequence else {
            if node.scalar?.isNull == true { return nil }
            error("type", "\(what()) must be a list, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return items
    }

    mutating func stringList(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> [Located<String>]? {
        guard let items = list(node, what()) else { return nil }
        return items.compactMap { string($0, "each entry of \(what())") }
    }

    /// A mapping of string to string (headers, label matchers), keeping positions.
    mutating func stringMap(
        _ node: YAMLNode?, _ what: @autoclosure () -> String
    ) -> [(key: Located<String>, value: YAMLNode)]? {
        guard let node else { return nil }
        guard let entries = node.mapping else {
            if node.scalar?.isNull == true { return nil }
            error("type", "\(what()) must be a mapping, found \(node.kindDescription)", at: node.location)
            return nil
        }
        return entries.map { (Located($0.key, at: $0.keyLocation(file: file)), $0.value) }
    }

    // MARK: Interpolations and conditions

    func scalarSource(_ node: YAMLNode, style: YAMLScalar.Style) -> ScalarSource {
        var blockColumn: Int?
        if style == .literal || style == .folded {
            blockColumn = contentColumn(ofLine: node.start.line + 1)
        }
        return ScalarSource(location: node.location, style: style, blockContentColumn: blockColumn)
    }

    mutating func interpolated(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> InterpolatedText? {
        parsedScalar(node, what(), code: "interpolation", parse: Interpolation.parse).map {
            InterpolatedText(text: $0.text, interpolation: $0.value, source: $0.source)
        }
    }

    mutating func condition(_ node: YAMLNode?, _ what: @autoclosure () -> String) -> Condition? {
        parsedScalar(node, what(), code: "expression", parse: ExpressionParser.parse).map {
            Condition(text: $0.text, expression: $0.value, source: $0.source)
        }
    }

    /// A scalar parsed by one of the expression parsers; a syntax error is reported at the
    /// column of the offending character inside the scalar.
    private mutating func parsedScalar<Value>(
        _ node: YAMLNode?, _ what: @autoclosure () -> String, code: String,
        parse: (String) throws(ExpressionSyntaxError) -> Value
    ) -> (value: Value, text: String, source: ScalarSource)? {
        guard let node, let text = string(node, what()), let scalar = node.scalar else { return nil }
        let source = scalarSource(node, style: scalar.style)
        do {
            return (try parse(text.value), text.value, source)
        } catch {
            self.error(code, "\(what()): \(error.message)", at: source.location(atOffset: error.offset, in: text.value))
            return nil
        }
    }

    /// The 1-based column of the first non-space character of a source line.
    private func contentColumn(ofLine line: Int) -> Int? {
        var current = 1
        var index = 0
        while current < line, index < source.count {
            if source[index] == UInt8(ascii: "\n") { current += 1 }
            index += 1
        }
        guard current == line else { return nil }
        var column = 1
        while index < source.count, source[index] == UInt8(ascii: " ") {
            column += 1
            index += 1
        }
        return column
    }
}

/// A mapping's entries, looked up by key.
struct MappingFields {
    let node: YAMLNode
    let entries: [YAMLMappingEntry]
    let what: String

    subscript(key: String) -> YAMLNode? {
        entries.firstIndex { $0.hasKey(key) }.map { entries[$0].value }
    }

    /// Without copying the value out, as `self[key] != nil` would: every step asks for a dozen keys.
    func has(_ key: String) -> Bool { entries.contains { $0.hasKey(key) } }

    func keyLocation(_ key: String) -> SourceLocation? {
        entries.firstIndex { $0.hasKey(key) }.map { entries[$0].keyLocation(file: node.file) }
    }
}
