import Foundation
import RunbookYAML

/// Reads a fixture beside the tests and parses it under a stable display path.
enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(name)))
    }

    /// The error a fixture produces, or nil when it parses.
    static func error(_ name: String) throws -> YAMLError? {
        let bytes = try bytes(name)
        do {
            _ = try YAMLParser.parse(bytes, file: name)
            return nil
        } catch {
            return error
        }
    }
}
