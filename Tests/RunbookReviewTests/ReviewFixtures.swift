import Foundation
import RunbookCore

/// Fixture catalogs beside these tests, and scratch directories for the ones a test writes.
enum ReviewFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures"
    ).path

    static func path(_ name: String) -> String { directory + "/" + name }

    static func catalog(_ name: String) async throws -> Catalog {
        try await CatalogLoader.load(directory: path(name))
    }
}

extension ReviewFixtures {
    /// A copy of a fixture in a fresh temporary directory, for tests that edit it.
    static func copy(_ name: String) throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-review-\(UUID().uuidString)")
            .path
        try FileManager.default.copyItem(atPath: path(name), toPath: target)
        return target
    }

    /// Replaces `old` with `new` in a file, failing when `old` is not there.
    static func edit(_ file: String, replacing old: String, with new: String) throws {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        guard text.contains(old) else { throw EditError(file: file, text: old) }
        try text.replacingOccurrences(of: old, with: new).write(toFile: file, atomically: true, encoding: .utf8)
    }

    struct EditError: Error, CustomStringConvertible {
        var file: String
        var text: String
        var description: String { "\(file) does not contain \(text)" }
    }
}
