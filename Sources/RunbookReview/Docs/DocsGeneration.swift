public import RunbookCore

/// `rbx docs` as one library call: load the catalog, refuse it if lint finds errors, build
/// the pages, write them.
///
/// A catalog with errors is documented by nothing: a page for a runbook that does not load
/// would describe something rbx will not run. Its diagnostics are returned instead, for the
/// caller to print the way `rbx lint` does.
public enum DocsGeneration {
    public enum Result: Sendable {
        case written(CatalogDocumentation, DocsWriter.Report)
        /// Nothing was written; the catalog holds every diagnostic, errors and warnings.
        case lintErrors(Catalog)
    }

    /// - Throws: ``DocsFailure`` when the catalog directory cannot be read or the output
    ///   cannot be written.
    /// - Parameter progress: see ``CatalogDocumentation/build(_:progress:)``.
    public static func generate(
        catalog directory: String, out: String, sourceURL: String? = nil,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws(DocsFailure) -> Result {
        let catalog: Catalog
        do {
            catalog = try await CatalogLoader.load(directory: directory)
        } catch {
            throw .load(error)
        }
        if catalog.hasErrors { return .lintErrors(catalog) }
        let documentation = await CatalogDocumentation.build(catalog, progress: progress)
        do {
            let report = try DocsWriter(directory: out, sourceURL: sourceURL).write(documentation)
            return .written(documentation, report)
        } catch {
            throw .write(error)
        }
    }
}

/// Why `rbx docs` could not do its work (as opposed to the catalog having lint errors).
public enum DocsFailure: Error, Sendable, CustomStringConvertible {
    case load(CatalogLoadError)
    case write(DocsWriteError)

    public var description: String {
        switch self {
        case .load(let error): error.description
        case .write(let error): error.description
        }
    }
}
