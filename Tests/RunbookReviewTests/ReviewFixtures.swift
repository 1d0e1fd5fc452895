import Foundation
import RunbookCore

/// Fixture catalogs beside these tests, and scratch directories for the ones a test writes.
enum ReviewFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func catalog(_ name: String) async throws -> Catalog {
        try await CatalogLoader.load(directory: path(name))
    }
}
