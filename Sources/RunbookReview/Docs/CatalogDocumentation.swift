public import RunbookCore

/// A catalog rendered as documentation pages: `index`, one page per runbook and one per
/// playbook. The entry point of `rbx docs`; ``DocsWriter`` puts the pages on disk.
///
/// The pages are a pure function of the catalog (and its `examples/alerts/`): runbooks and
/// playbooks sorted by name, drills at a fixed start time, no dates, so the output can be
/// committed and reviewed as a diff.
///
/// ```swift
/// let catalog = try await CatalogLoader.load(directory: ".")
/// let docs = await CatalogDocumentation.build(catalog)
/// try DocsWriter(directory: "catalog-docs").write(docs)
/// ```
public struct CatalogDocumentation: Sendable {
    /// `index` first, then runbooks, then playbooks, each sorted by name.
    public var pages: [DocPage]
    public var runbookCount: Int
    public var playbookCount: Int

    public init(pages: [DocPage], runbookCount: Int, playbookCount: Int) {
        self.pages = pages
        self.runbookCount = runbookCount
        self.playbookCount = playbookCount
    }

    /// Builds every page. The catalog should be free of lint errors (callers check
    /// ``Catalog/hasErrors`` first): a broken runbook documents nothing useful.
    ///
    /// - Parameter progress: told `(done, total)` after each runbook's page, the slow part (each
    ///   runs a sample drill), so a command can show progress on a large catalog.
    public static func build(
        _ catalog: Catalog, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> CatalogDocumentation {
        let sources = DocSources(root: catalog.root)
        let runbooks = catalog.runbooks.sorted { $0.name < $1.name }
        let playbooks = catalog.playbooks.sorted { $0.name < $1.name }
        let runbookPaths = Dictionary(
            runbooks.map { ($0.name, runbookPath($0.name)) }, uniquingKeysWith: { first, _ in first })
        let playbookPaths = Dictionary(
            playbooks.map { ($0.name, "playbooks/" + DocURL.anchor($0.name)) }, uniquingKeysWith: { first, _ in first })
        var callers: [String: [String]] = [:]
        for runbook in runbooks {
            for step in runbook.allSteps {
                if case .uses(let playbook, _) = step.action, callers[playbook.value]?.last != runbook.name {
                    callers[playbook.value, default: []].append(runbook.name)
                }
            }
        }
        let steps = StepDocs(sources: sources, catalog: catalog, playbookPages: playbookPaths)
        let examples = SampleRun.examples(in: catalog)

        var pages = [
            IndexPage(catalog: catalog, runbookPaths: runbookPaths, playbookPaths: playbookPaths, callers: callers)
                .build()
        ]
        for (index, runbook) in runbooks.enumerated() {
            let sample = await SampleRun.make(for: runbook, in: catalog, examples: examples)
            pages.append(
                RunbookPage(
                    runbook: runbook, catalog: catalog, sources: sources, steps: steps, sample: sample,
                    path: runbookPaths[runbook.name] ?? runbookPath(runbook.name)
                ).build())
            progress?(index + 1, runbooks.count)
        }
        for playbook in playbooks {
            let users = (callers[playbook.name] ?? []).map { (name: $0, path: runbookPaths[$0] ?? runbookPath($0)) }
            pages.append(
                PlaybookPage(
                    playbook: playbook, catalog: catalog, sources: sources, steps: steps, callers: users,
                    path: playbookPaths[playbook.name] ?? "playbooks/" + DocURL.anchor(playbook.name)
                ).build())
        }
        return CatalogDocumentation(pages: pages, runbookCount: runbooks.count, playbookCount: playbooks.count)
    }

    /// A runbook's page sits at the top level under its name; a runbook called `index` would
    /// overwrite the index, so it is renamed.
    static func runbookPath(_ name: String) -> String {
        let stem = DocURL.anchor(name)
        return stem == "index" ? "runbook-index" : stem
    }
}
