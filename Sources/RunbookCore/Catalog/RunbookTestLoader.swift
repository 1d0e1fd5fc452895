import Foundation
internal import RunbookYAML

/// Reads `kind: RunbookTest` files (by default the catalog's `tests/` directory).
public enum RunbookTestLoader {
    /// - Parameter paths: files or directories; directories are searched for `*.yaml`/`*.yml`.
    /// - Returns: the suites that decoded, and every problem found (unknown keys, bad alerts,
    ///   unreadable paths), located like lint's.
    public static func load(
        paths: [String], catalog: Catalog
    ) -> (suites: [RunbookTestSuite], diagnostics: [Diagnostic]) {
        var suites: [RunbookTestSuite] = []
        var diagnostics: [Diagnostic] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                diagnostics.append(
                    .error(
                        "test-path", "\(path): no such file or directory",
                        at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            for file in isDirectory.boolValue ? CatalogLoader.yamlFiles(under: path) : [path] {
                let read = CatalogLoader.readFile(file)
                if let problem = read.problem {
                    diagnostics.append(problem)
                    continue
                }
                var decoder = DocumentDecoder(file: file, source: read.bytes, ladder: catalog.config.severity)
                decoder.catalogRoot = catalog.root
                if let root = CatalogLoader.parseDocument(read.bytes, path: file, into: &decoder),
                    let suite = decoder.testSuite(root, config: catalog.config)
                {
                    suites.append(suite)
                }
                diagnostics += decoder.diagnostics
            }
        }
        return (suites, diagnostics)
    }

    /// The default place of a catalog's tests.
    public static func defaultDirectory(of catalog: Catalog) -> String {
        CatalogLoader.resolve("tests", in: catalog.root)
    }
}
