import Foundation
import RunbookCore

/// Builds throwaway catalogs on disk from the fixtures beside these tests.
enum TestCatalog {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A temporary catalog: the `base` fixture (rbx.yaml, a playbook, templates) plus the
    /// given lint fixtures as runbooks. Returns its directory.
    static func make(runbooks: [String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rbx-catalog-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent("base"), to: directory)
        let runbookDirectory = directory.appendingPathComponent("runbooks")
        try FileManager.default.createDirectory(at: runbookDirectory, withIntermediateDirectories: true)
        for name in runbooks {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent("lint").appendingPathComponent(name),
                to: runbookDirectory.appendingPathComponent(name))
        }
        return directory
    }

    /// Loads a catalog and renders its diagnostics relative to the catalog root.
    static func diagnostics(runbooks: [String]) async throws -> [String] {
        let directory = try make(runbooks: runbooks)
        defer { try? FileManager.default.removeItem(at: directory) }
        let catalog = try await CatalogLoader.load(directory: directory.path)
        return catalog.diagnostics.sortedByLocation().map {
            "\($0.description.replacingOccurrences(of: directory.path + "/", with: "")) [\($0.code)]"
        }
    }
}
