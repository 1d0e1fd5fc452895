public import RunbookYAML

/// One problem found in a catalog, located so a person (or a CI annotation) can jump to it.
///
/// Lint detects problems into a list of diagnostics and one renderer prints them
/// (``DiagnosticRenderer``), so every check reports every problem, not just the first.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case warning, error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public var severity: Severity
    /// A stable kebab-case identifier (`unknown-key`, `shell-step`), also used to suppress a
    /// warning with a `# rbx-lint: ignore=CODE` comment on or above its line.
    public var code: String
    public var message: String
    public var location: SourceLocation
    /// The step the problem is in, when there is one: shown in JSON output and by `rbx diff`.
    public var stepID: String?

    public init(
        _ severity: Severity, _ code: String, _ message: String, at location: SourceLocation,
        stepID: String? = nil
    ) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
        self.stepID = stepID
    }

    public static func error(
        _ code: String, _ message: String, at location: SourceLocation, stepID: String? = nil
    ) -> Diagnostic {
        Diagnostic(.error, code, message, at: location, stepID: stepID)
    }

    public static func warning(
        _ code: String, _ message: String, at location: SourceLocation, stepID: String? = nil
    ) -> Diagnostic {
        Diagnostic(.warning, code, message, at: location, stepID: stepID)
    }

    public init(_ error: YAMLError) {
        self.init(.error, error.code.description, error.message, at: error.location)
    }

    public var description: String {
        "\(location): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    public var errorCount: Int { count { $0.severity == .error } }
    public var warningCount: Int { count { $0.severity == .warning } }

    /// Diagnostics in the order a person reads them: by file, line, column.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }
}
