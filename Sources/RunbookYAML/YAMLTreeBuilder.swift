internal import CYAML

/// Builds the node tree from libyaml events, one event at a time, with an explicit stack.
///
/// The stack (rather than recursion) is what lets a 10,000-deep document be refused at
/// depth ``YAMLParser/Limits/maxDepth`` in microseconds, and node counts kept per subtree are
/// what let an alias bomb be refused before a single copy is made.
struct YAMLTreeBuilder {
    let file: String
    let limits: YAMLParser.Limits
    private(set) var root: YAMLNode?
    private var stack: [Frame] = []
    private var anchors: [String: (node: YAMLNode, size: Int)] = [:]
    private var aliasNodes = 0
    private var documents = 0

    init(file: String, limits: YAMLParser.Limits) {
        self.file = file
        self.limits = limits
    }

    private struct Frame {
        enum Kind { case sequence, mapping }
        var kind: Kind
        var start: SourcePosition
        var anchor: String?
        var size = 1
        var items: [YAMLNode] = []
        var entries: [YAMLMappingEntry] = []
        var pendingKey: (key: String, start: SourcePosition, isMerge: Bool)?
        var merges: [YAMLNode] = []
        /// Where each key is, once the mapping is large enough that scanning `entries` for a
        /// duplicate would make a big mapping quadratic.
        var keyIndex: [String: Int] = [:]
    }

    /// Mappings with more keys than this look duplicates up in a dictionary; smaller ones scan,
    /// which is faster for the few keys almost every mapping has.
    static let indexedMappingSize = 16

    mutating func handle(_ event: yaml_event_t) throws(YAMLError) {
        let start = Self.position(event.start_mark)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw error(
                    .multipleDocuments,
                    "file holds more than one YAML document (the next one starts here); put one runbook or playbook per file",
                    at: start)
            }
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let value = String(
                decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            let style = try taggedStyle(
                Self.string(scalar.tag), value: value, style: Self.style(scalar.style), at: start)
            let node = YAMLNode(
                content: .scalar(YAMLScalar(value: value, style: style)),
                file: file, start: start, end: Self.position(event.end_mark))
            try complete(node, size: 1, anchor: Self.string(scalar.anchor))
        case YAML_ALIAS_EVENT:
            let name = Self.string(event.data.alias.anchor) ?? ""
            guard let anchored = anchors[name] else {
                throw error(
                    .unknownAnchor, "unknown anchor \"\(name)\"; define it with &\(name) before using *\(name)",
                    at: start)
            }
            aliasNodes += anchored.size
            if aliasNodes > limits.maxAliasNodes {
                throw error(
                    .aliasBudget,
                    "aliases expand to more than \(limits.maxAliasNodes) nodes (an alias bomb?)",
                    at: start)
            }
            try complete(anchored.node, size: anchored.size, anchor: nil)
        case YAML_SEQUENCE_START_EVENT:
            try checkCollectionTag(Self.string(event.data.sequence_start.tag), expected: "seq", at: start)
            try push(.sequence, at: start, anchor: Self.string(event.data.sequence_start.anchor))
        case YAML_MAPPING_START_EVENT:
            try checkCollectionTag(Self.string(event.data.mapping_start.tag), expected: "map", at: start)
            try push(.mapping, at: start, anchor: Self.string(event.data.mapping_start.anchor))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            guard let frame = stack.popLast() else { return }
            let end = Self.position(event.end_mark)
            let node: YAMLNode
            if frame.kind == .sequence {
                node = YAMLNode(content: .sequence(frame.items), file: file, start: frame.start, end: end)
            } else {
                let entries = try Self.applyMerges(frame.merges, to: frame.entries)
                node = YAMLNode(content: .mapping(entries), file: file, start: frame.start, end: end)
            }
            try complete(node, size: frame.size, anchor: frame.anchor)
        default:
            break
        }
    }

    private mutating func push(_ kind: Frame.Kind, at start: SourcePosition, anchor: String?) throws(YAMLError) {
        if let parent = stack.last, parent.kind == .mapping, parent.pendingKey == nil {
            let what = kind == .sequence ? "a list" : "a mapping"
            throw error(.nonStringKey, "mapping key is \(what); keys must be strings", at: start)
        }
        if stack.count >= limits.maxDepth {
            throw error(.tooDeep, "nesting deeper than \(limits.maxDepth) levels", at: start)
        }
        // Reserving room for a typical mapping or list up front saves the 1-2-4-8 regrowth
        // (four allocations and three copies) that appending one by one would cost.
        var frame = Frame(kind: kind, start: start, anchor: anchor)
        if kind == .sequence {
            frame.items.reserveCapacity(8)
        } else {
            frame.entries.reserveCapacity(8)
        }
        stack.append(frame)
    }

    /// Hands a finished node to its parent (or makes it the root).
    /// Mutates the parent frame in place (by index) rather than popping and pushing it, which
    /// would copy the frame's arrays on every node.
    private mutating func complete(_ node: YAMLNode, size: Int, anchor: String?) throws(YAMLError) {
        if let anchor { anchors[anchor] = (node, size) }
        let top = stack.count - 1
        guard top >= 0 else {
            root = node
            return
        }
        stack[top].size += size
        if stack[top].kind == .sequence {
            stack[top].items.append(node)
            return
        }
        guard let pending = stack[top].pendingKey else {
            let key = try key(from: node)
            if !key.isMerge {
                try checkDuplicate(key.key, at: key.start, in: stack[top])
            }
            stack[top].pendingKey = key
            return
        }
        stack[top].pendingKey = nil
        if pending.isMerge {
            stack[top].merges.append(node)
            return
        }
        let count = stack[top].entries.count
        stack[top].entries.append(YAMLMappingEntry(key: pending.key, keyStart: pending.start, value: node))
        if count + 1 == Self.indexedMappingSize {
            for (index, entry) in stack[top].entries.enumerated() { stack[top].keyIndex[entry.key] = index }
        } else if count + 1 > Self.indexedMappingSize {
            stack[top].keyIndex[pending.key] = count
        }
    }

    private func key(from node: YAMLNode) throws(YAMLError) -> (key: String, start: SourcePosition, isMerge: Bool) {
        guard let scalar = node.scalar else {
            throw error(.nonStringKey, "mapping key is \(node.kindDescription); keys must be strings", at: node.start)
        }
        if scalar.style == .plain && scalar.value == "<<" {
            return (scalar.value, node.start, true)
        }
        if let type = scalar.coreSchemaNonStringType {
            let shown = scalar.value.isEmpty ? "(empty)" : scalar.value
            throw error(
                .nonStringKey,
                "mapping key \(shown) is a \(type), not a string; quote it (\"\(scalar.value)\") if you mean the text",
                at: node.start)
        }
        return (scalar.value, node.start, false)
    }

    private func checkDuplicate(_ key: String, at start: SourcePosition, in frame: Frame) throws(YAMLError) {
        let first: YAMLMappingEntry?
        if frame.entries.count >= Self.indexedMappingSize {
            first = frame.keyIndex[key].map { frame.entries[$0] }
        } else {
            first = frame.entries.first { $0.hasKey(key) }
        }
        guard let first else { return }
        throw error(
            .duplicateKey,
            "duplicate key \"\(key)\" (first defined at line \(first.keyStart.line), column \(first.keyStart.column))",
            at: start)
    }

    /// Applies `<<` merge keys: merged keys fill in what the mapping does not set itself,
    /// and earlier merge sources win over later ones (YAML 1.1 merge semantics).
    private static func applyMerges(
        _ merges: [YAMLNode], to entries: [YAMLMappingEntry]
    ) throws(YAMLError) -> [YAMLMappingEntry] {
        guard !merges.isEmpty else { return entries }
        var sources: [YAMLNode] = []
        for merge in merges {
            if merge.mapping != nil {
                sources.append(merge)
            } else if let items = merge.sequence, items.allSatisfy({ $0.mapping != nil }) {
                sources.append(contentsOf: items)
            } else {
                throw YAMLError(
                    code: .invalidMerge,
                    message: "a merge key (<<) takes a mapping or a list of mappings, found \(merge.kindDescription)",
                    location: merge.location)
            }
        }
        var result = entries
        var present = Set(entries.map(\.key))
        for source in sources {
            for entry in source.mapping ?? [] where !present.contains(entry.key) {
                present.insert(entry.key)
                result.append(entry)
            }
        }
        return result
    }

    /// YAML's core schema, the only tags rbx reads (`!!str` and friends, which libyaml resolves
    /// to these). Anything else would be dropped silently by a reader that ignores tags, so that
    /// `run: !!python/object/apply:os.system ["id"]` linted clean and ran `id`.
    private static let coreSchemaPrefix = "tag:yaml.org,2002:"

    /// The style a tagged scalar is read with: `!!str` makes it a string whatever it looks like;
    /// `!!int`, `!!float`, `!!bool`, `!!null` require the text to be one; `!` (non-specific) is
    /// a string.
    private func taggedStyle(
        _ tag: String?, value: String, style: YAMLScalar.Style, at start: SourcePosition
    ) throws(YAMLError) -> YAMLScalar.Style {
        guard let tag else { return style }
        if tag == "!" { return style == .plain ? .singleQuoted : style }
        guard tag.hasPrefix(Self.coreSchemaPrefix) else { throw unsupported(tag, at: start) }
        let name = tag.dropFirst(Self.coreSchemaPrefix.count)
        let expected: String
        switch name {
        case "str": return style == .plain ? .singleQuoted : style
        case "int", "float": expected = "number"
        case "bool": expected = "boolean"
        case "null": expected = "null"
        default: throw unsupported(tag, at: start)
        }
        guard YAMLScalar(value: value, style: .plain).coreSchemaNonStringType == expected else {
            throw error(.unsupportedTag, "!!\(name) on \"\(value)\", which is not a \(expected)", at: start)
        }
        return .plain
    }

    private func checkCollectionTag(_ tag: String?, expected: String, at start: SourcePosition) throws(YAMLError) {
        guard let tag, tag != "!", tag != Self.coreSchemaPrefix + expected else { return }
        throw unsupported(tag, at: start)
    }

    private func unsupported(_ tag: String, at start: SourcePosition) -> YAMLError {
        let shown = tag.hasPrefix(Self.coreSchemaPrefix) ? "!!" + tag.dropFirst(Self.coreSchemaPrefix.count) : tag
        return error(
            .unsupportedTag,
            "tag \(shown) is not supported: rbx reads plain YAML (core schema tags only: !!str, !!int, !!float, "
                + "!!bool, !!null, !!seq, !!map); remove the tag",
            at: start)
    }

    private func error(_ code: YAMLError.Code, _ message: String, at position: SourcePosition) -> YAMLError {
        YAMLError(code: code, message: message, location: SourceLocation(file: file, position: position))
    }

    private static func position(_ mark: yaml_mark_t) -> SourcePosition {
        SourcePosition(line: Int(mark.line) + 1, column: Int(mark.column) + 1)
    }

    private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func style(_ style: yaml_scalar_style_t) -> YAMLScalar.Style {
        switch style {
        case YAML_SINGLE_QUOTED_SCALAR_STYLE: .singleQuoted
        case YAML_DOUBLE_QUOTED_SCALAR_STYLE: .doubleQuoted
        case YAML_LITERAL_SCALAR_STYLE: .literal
        case YAML_FOLDED_SCALAR_STYLE: .folded
        default: .plain
        }
    }
}
