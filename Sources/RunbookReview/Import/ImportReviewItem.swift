/// One thing in an imported runbook a person has to look at, with the Markdown line it came
/// from: a shell step, a guessed severity, a sentence the escalation parser did not understand.
public struct ImportReviewItem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// Stable kinds, for scripts and tests.
    public enum Kind: String, Sendable, Codable {
        case shellStep = "shell-step"
        case variables
        case approval
        case guessedSeverity = "guessed-severity"
        case noSeverity = "no-severity"
        case guessedAlert = "guessed-alert"
        case unparsedEscalation = "unparsed-escalation"
        case noEscalation = "no-escalation"
        case guessedNotifier = "guessed-notifier"
        case placeholderNotifier = "placeholder-notifier"
        case unknownNotifier = "unknown-notifier"
        case placeholder
        case skippedBlock = "skipped-block"
        case unclosedFence = "unclosed-fence"
        case noSteps = "no-steps"
        case renamed
    }

    public var kind: Kind
    public var file: String
    public var line: Int
    public var message: String

    public init(_ kind: Kind, file: String, line: Int, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    /// `servers.md:7: shell-step: …`
    public var description: String { "\(file):\(line): \(kind.rawValue): \(message)" }
}
