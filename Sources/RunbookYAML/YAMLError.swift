/// A YAML file rbx refuses to read, with the place a person has to look.
///
/// `Code` is a struct over a private enum so new kinds of problem can be added without
/// breaking callers that switch over the known ones.
public struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case syntax, duplicateKey, nonStringKey, tab, invalidUTF8, tooDeep, aliasBudget
            case multipleDocuments, unknownAnchor, invalidMerge, unreadable, unsupportedTag
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// libyaml could not parse the text; the message is libyaml's own.
        public static let syntax = Code(.syntax)
        public static let duplicateKey = Code(.duplicateKey)
        public static let nonStringKey = Code(.nonStringKey)
        public static let tab = Code(.tab)
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Nesting beyond the limit: refused before it can exhaust the stack.
        public static let tooDeep = Code(.tooDeep)
        /// Aliases expanding beyond the limit: the "billion laughs" defence.
        public static let aliasBudget = Code(.aliasBudget)
        public static let multipleDocuments = Code(.multipleDocuments)
        public static let unknownAnchor = Code(.unknownAnchor)
        public static let invalidMerge = Code(.invalidMerge)
        public static let unreadable = Code(.unreadable)
        /// A tag outside YAML's core schema (`!!python/object/apply:…`, `!custom`): refused rather
        /// than dropped, so what a reviewer reads is what rbx runs.
        public static let unsupportedTag = Code(.unsupportedTag)

        /// A stable kebab-case identifier for JSON output and documentation.
        public var description: String {
            switch value {
            case .syntax: "yaml-syntax"
            case .duplicateKey: "duplicate-key"
            case .nonStringKey: "non-string-key"
            case .tab: "tab-indentation"
            case .invalidUTF8: "invalid-utf8"
            case .tooDeep: "nesting-too-deep"
            case .aliasBudget: "alias-expansion-limit"
            case .multipleDocuments: "multiple-documents"
            case .unknownAnchor: "unknown-anchor"
            case .invalidMerge: "invalid-merge"
            case .unreadable: "unreadable-file"
            case .unsupportedTag: "unsupported-tag"
            }
        }
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation

    public init(code: Code, message: String, location: SourceLocation) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message)" }
}
