/// One alert's part of a Markdown file, gathered by ``MarkdownSectionSplitter``: its heading,
/// its fields, the commands under each subheading, the escalation prose and the
/// communication template.
public struct MarkdownSection: Sendable {
    /// What the commands of a block are for, from the subheading or lead-in above it.
    public enum Purpose: String, Sendable, Codable {
        /// Diagnose, Investigate, Check, Verify, …: read-only until shown otherwise.
        case diagnose
        /// Fix, Mitigate, Remediate, Recover, Rollback, …: the commands change something.
        case fix
    }

    public struct CommandBlock: Sendable {
        public var block: MarkdownCodeBlock
        public var purpose: Purpose
    }

    public struct Line: Sendable, Equatable {
        public var text: String
        public var line: Int
    }

    public var file: String
    public var title: String
    public var line: Int
    /// Fields by lowercased name (`alert`, `severity`, `owner`, …), first occurrence wins.
    public var fields: [String: Line] = [:]
    public var commandBlocks: [CommandBlock] = []
    /// Blocks that are neither commands nor the template (`sql`, `yaml`): listed for review.
    public var otherBlocks: [MarkdownCodeBlock] = []
    public var escalation: [Line] = []
    public var template: MarkdownCodeBlock?
    /// Prose lines, for the runbook's description.
    public var prose: [Line] = []

    public init(file: String, title: String, line: Int) {
        self.file = file
        self.title = title
        self.line = line
    }

    /// The value of the first field among `names`.
    public func field(_ names: String...) -> Line? {
        names.lazy.compactMap { fields[$0] }.first
    }

    /// The alert name, from `Alert:`, `Alertname:`, `Alert name:` or `Alert rule:`.
    public var alertName: Line? {
        field("alert", "alertname", "alert name", "alert rule", "prometheus alert")
    }
}
