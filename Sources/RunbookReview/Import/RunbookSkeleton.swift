/// What the importer made of one Markdown section, before it is written as YAML: the match,
/// the steps with their source lines, the ladder and the template, and what needs review.
public struct RunbookSkeleton: Sendable {
    public enum StepKind: String, Sendable, Codable { case diagnostic, remediation, approval }

    public enum Action: Sendable, Equatable {
        case run([String])
        case shell(String)
        /// An approval's question.
        case approval(message: String)
    }

    public struct Step: Sendable {
        public var id: String
        public var name: String
        public var kind: StepKind
        public var action: Action
        public var line: Int
        /// Why the command became a shell step (for the YAML comment), or the destructive word.
        public var note: String?
    }

    public struct Rung: Sendable {
        public var after: Int
        public var notify: [String]
        public var line: Int
        public var sentence: String
        /// A rung whose notifier is not declared: written as a comment, so the file lints.
        public var disabled: Bool
    }

    public var file: String
    public var line: Int
    public var name: String
    public var title: String
    public var owner: String?
    public var summary: String?
    public var description: [String] = []
    public var alertName: String
    public var alertLine: Int
    public var severity: SeverityMapping?
    public var severityLine: Int?
    public var steps: [Step] = []
    public var rungs: [Rung] = []
    /// The status template's text, written to `templates/<name>-status.mustache`.
    public var template: String?
    public var templateLine: Int?
    public var review: [ImportReviewItem] = []

    public var templateName: String? { template == nil ? nil : name + "-status" }
}
