/// Everything loaded from one runbook repository: configuration, runbooks, playbooks and
/// templates, plus every problem found while loading and linting them.
public struct Catalog: Sendable {
    /// The directory the catalog was loaded from, as the user named it.
    public var root: String
    public var config: CatalogConfig
    /// The runbooks, unless the catalog was loaded with `keepRunbooks: false`.
    public var runbooks: [Runbook]
    /// Every runbook's name, also when the runbooks themselves were not kept.
    public var runbookNames: [Located<String>] = []
    public var playbooks: [Playbook]
    public var templates: [MessageTemplate]
    public var diagnostics: [Diagnostic]
    /// Number of files read and their total size, for progress and benchmarks.
    public var fileCount: Int
    public var byteCount: Int

    public init(
        root: String, config: CatalogConfig = CatalogConfig(), runbooks: [Runbook] = [], playbooks: [Playbook] = [],
        templates: [MessageTemplate] = [], diagnostics: [Diagnostic] = [], fileCount: Int = 0, byteCount: Int = 0
    ) {
        self.root = root
        self.config = config
        self.runbooks = runbooks
        self.runbookNames = runbooks.map(\.metadata.name)
        self.playbooks = playbooks
        self.templates = templates
        self.diagnostics = diagnostics
        self.fileCount = fileCount
        self.byteCount = byteCount
    }

    public func runbook(named name: String) -> Runbook? {
        runbooks.first { $0.name == name }
    }

    public func playbook(named name: String) -> Playbook? {
        playbooks.first { $0.name == name }
    }

    public func template(named name: String) -> MessageTemplate? {
        templates.first { $0.name == name }
    }

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// Reads one of the catalog's files, counting it, or records why it could not be read.
    mutating func read(_ path: String) -> [UInt8]? {
        let file = CatalogLoader.readFile(path)
        fileCount += 1
        byteCount += file.bytes.count
        if let problem = file.problem {
            diagnostics.append(problem)
            return nil
        }
        return file.bytes
    }

    mutating func add(_ document: CatalogLoader.DecodedDocument) {
        fileCount += 1
        byteCount += document.byteCount
        diagnostics += document.diagnostics
    }
}
