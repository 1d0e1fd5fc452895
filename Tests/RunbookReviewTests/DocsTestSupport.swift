import Foundation
import RunbookCore

@testable import RunbookReview

/// Renders catalogs for the docs tests and reads what was written.
enum DocsTestSupport {
    /// The repository root, which is the example catalog shipped with rbx.
    static let exampleCatalog = URL(fileURLWithPath: ReviewFixtures.directory + "/../../..").standardizedFileURL.path

    /// A fresh directory under the system's temporary directory.
    static func scratchDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-docs-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    /// Loads a catalog, builds its documentation and returns every file's text by relative path.
    static func render(_ directory: String) async throws -> [String: String] {
        let catalog = try await CatalogLoader.load(directory: directory)
        return DocsWriter(directory: "unused").render(await CatalogDocumentation.build(catalog))
    }

    /// The text of the first fenced `mermaid` block of a Markdown page.
    static func mermaid(in markdown: String) -> String? {
        guard let start = markdown.range(of: "```mermaid\n"), let end = markdown[start.upperBound...].range(of: "```")
        else { return nil }
        return String(markdown[start.upperBound..<end.lowerBound])
    }
}
