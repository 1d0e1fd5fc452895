import Foundation
import Testing

/// `rbx import` as a script runs it: the real binary writes a catalog, then `rbx lint` of that
/// directory finds no errors.
struct ImportCommandTests {
    @Test("rbx import writes runbooks that rbx lint accepts, and refuses to overwrite them")
    func importThenLint() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-import-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = RbxBinary.fixture("import/servers.md")
        let imported = try await RbxBinary.run(["import", markdown, "--out", directory.path])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("3 runbooks imported, wrote 5 files;"), "\(imported.stdout)")
        #expect(
            imported.stdout.contains("\(markdown):5: instance-down (InstanceDown, P1) -> runbooks/instance-down.yaml"))

        let lint = try await RbxBinary.run(["lint", "--catalog", directory.path])
        #expect(lint.status == 0, "\(lint.stdout)")

        let again = try await RbxBinary.run(["import", markdown, "--out", directory.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("files to write already exist; pass --force to overwrite"), "\(again.stderr)")

        let json = try await RbxBinary.run([
            "import", markdown, "--out", directory.path, "--dry-run", "--format", "json",
        ])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["dryRun"] as? Bool == true)
    }
}
