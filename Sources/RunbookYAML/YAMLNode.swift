/// One node of a parsed YAML document, with the place it came from.
///
/// The tree is built from libyaml's event stream, not from a generic object model, so every
/// value a runbook author wrote keeps its file, start and end: lint can point at the exact
/// key or value that is wrong. Aliases are expanded into copies of their anchor's node (and
/// keep the anchor's positions); merge keys (`<<`) are already applied.
public struct YAMLNode: Sendable {
    public enum Content: Sendable {
        case scalar(YAMLScalar)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    public var content: Content
    public var file: String
    public var start: SourcePosition
    public var end: SourcePosition

    public init(content: Content, file: String, start: SourcePosition, end: SourcePosition) {
        self.content = content
        self.file = file
        self.start = start
        self.end = end
    }

    /// Where the node starts: the location a diagnostic about this value points at.
    public var location: SourceLocation { SourceLocation(file: file, position: start) }

    public var scalar: YAMLScalar? {
        if case .scalar(let scalar) = content { return scalar }
        return nil
    }

    public var sequence: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var mapping: [YAMLMappingEntry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value under `key` when this node is a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = content else { return nil }
        return entries.firstIndex { $0.hasKey(key) }.map { entries[$0].value }
    }

    /// A short name of the node's shape for messages: "a mapping", "a list", "a string".
    public var kindDescription: String {
        switch content {
        case .scalar(let scalar): return scalar.isNull ? "nothing (null)" : "a scalar"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        }
    }
}

/// A mapping entry. Keys are always strings: the parser refuses any other key.
public struct YAMLMappingEntry: Sendable {
    public var key: String
    public var keyStart: SourcePosition
    public var value: YAMLNode

    public init(key: String, keyStart: SourcePosition, value: YAMLNode) {
        self.key = key
        self.keyStart = keyStart
        self.value = value
    }

    /// Key equality with a length check first: lookups run for every key of every mapping,
    /// and most candidates differ in length, which is cheaper to see than a string comparison.
    @inlinable
    public func hasKey(_ name: String) -> Bool {
        key.utf8.count == name.utf8.count && key == name
    }

    public func keyLocation(file: String) -> SourceLocation {
        SourceLocation(file: file, position: keyStart)
    }
}

/// A scalar's text and how it was written; the style decides whether `null` means null.
public struct YAMLScalar: Sendable, Hashable {
    public enum Style: Sendable, Hashable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    public var value: String
    public var style: Style

    public init(value: String, style: Style) {
        self.value = value
        self.style = style
    }

    /// A plain `~`, `null` or empty scalar: YAML's null, which rbx treats as "absent".
    public var isNull: Bool {
        guard style == .plain else { return false }
        switch value {
        case "", "~", "null", "Null", "NULL": return true
        default: return false
        }
    }

    /// The YAML 1.2 core-schema type a plain scalar would resolve to, or nil for strings.
    /// Used to refuse keys like `404:` or `true:` that other YAML tools read as non-strings.
    public var coreSchemaNonStringType: String? {
        guard style == .plain else { return nil }
        // Decide by the first byte: nearly every key starts with a letter that begins no
        // number, boolean or null, and this runs for every key of every file.
        guard let first = value.utf8.first else { return "null" }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            return isNull ? "null" : nil
        case UInt8(ascii: "t"), UInt8(ascii: "T"), UInt8(ascii: "f"), UInt8(ascii: "F"):
            switch value {
            case "true", "True", "TRUE", "false", "False", "FALSE": return "boolean"
            default: return nil
            }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
            return Self.looksNumeric(value) ? "number" : nil
        default:
            return nil
        }
    }

    private static func looksNumeric(_ text: String) -> Bool {
        var utf8 = Substring(text).utf8[...]
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            utf8 = utf8.dropFirst()
        }
        guard let first = utf8.first else { return false }
        let lowered = String(decoding: utf8, as: UTF8.self).lowercased()
        if lowered == ".inf" || lowered == ".nan" { return true }
        if lowered.hasPrefix("0x") || lowered.hasPrefix("0o") {
            return lowered.count > 2 && lowered.dropFirst(2).allSatisfy(\.isHexDigit)
        }
        guard first == UInt8(ascii: ".") || (first >= 0x30 && first <= 0x39) else { return false }
        var sawDigit = false
        var sawDot = false
        var sawExponent = false
        var previous: UInt8 = 0
        for byte in utf8 {
            switch byte {
            case 0x30...0x39: sawDigit = true
            case UInt8(ascii: "."):
                if sawDot || sawExponent { return false }
                sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if sawExponent || !sawDigit { return false }
                sawExponent = true
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                if previous != UInt8(ascii: "e") && previous != UInt8(ascii: "E") { return false }
            default: return false
            }
            previous = byte
        }
        return sawDigit
    }
}
