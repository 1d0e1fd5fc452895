import RunbookCore
import RunbookReview
import RunbookStore

/// `/console/catalog`: the pages `rbx docs` writes (flows drawn as SVG, status messages for a
/// sample alert), linked to each other inside the console, and for a runbook the runs it
/// started lately. Built on first use and again after each reload: the pages are a function of
/// the catalog.
actor CatalogPages {
    private let catalog: LiveCatalog
    private var pages: [String: DocPage]?
    /// The catalog generation `pages` were built from.
    private var generation = -1

    init(catalog: LiveCatalog) { self.catalog = catalog }

    /// The page at `path` (`index`, a runbook's name, `playbooks/NAME`).
    func page(_ path: String) async -> DocPage? {
        let current = catalog.version
        if pages == nil || generation != current.generation {
            let documentation = await CatalogDocumentation.build(current.catalog)
            pages = Dictionary(documentation.pages.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            generation = current.generation
        }
        return pages?[path]
    }

    /// The page's HTML body, its links pointing at the console.
    static func body(_ page: DocPage) -> String {
        HTMLRenderer(pageLink: { path, anchor in
            (path == "index" ? "/console/catalog" : "/console/catalog/" + path) + (anchor.map { "#" + $0 } ?? "")
        }).body(page)
    }

    /// The values of the catalog page at `path`, with the runs a runbook started lately.
    static func values(
        path: String, pages: CatalogPages, dependencies: ServerDependencies
    ) async throws -> [String: Any]? {
        guard let page = await pages.page(path) else { return nil }
        var values: [String: Any] = ["title": page.title, "body": body(page)]
        if let runbook = dependencies.catalog.runbook(named: path) {
            values["rehearse"] = ["name": runbook.name]
            let now = dependencies.clock.milliseconds
            let recent = try await dependencies.store.runListings(RunQuery(runbook: runbook.name, limit: 20))
            values["recent"] = [
                "rows": recent.map { RunRowView(listing: $0, catalog: dependencies.catalog, now: now).values },
                "empty": "No alert has started this runbook lately.",
            ]
        }
        return values
    }
}
