public import RunbookYAML

/// A Prometheus rule file rbx cannot read, with where and why.
public struct RuleFileError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable = "rules-unreadable"
        case tooLarge = "rules-too-large"
        case syntax = "rules-yaml-syntax"
        case shape = "rules-shape"
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation

    public init(code: Code, message: String, location: SourceLocation) {
        self.code = code
        self.message = message
        self.location = location
    }

    public var description: String { "\(location): error: \(message) [\(code.rawValue)]" }
}
