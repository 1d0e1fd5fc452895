import Foundation
import Testing

/// `rbx coverage` as a CI job runs it: the real binary on the example catalog and the shipped
/// example rule file, then on the review fixtures with a known gap.
struct CoverageCommandTests {
    static let reviewFixtures = RbxBinary.repositoryRoot.appendingPathComponent(
        "Tests/RunbookReviewTests/Fixtures/coverage"
    ).path

    @Test("the example rules are all handled by the example catalog: exit 0, and JSON a script can read")
    func exampleCatalog() async throws {
        let run = try await RbxBinary.run(["coverage", "--rules", "examples/prometheus/rules.yml", "--format", "json"])
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(rules.count == 4)
        #expect(rules.allSatisfy { $0["covered"] as? Bool == true })
        #expect((object["gaps"] as? [Any])?.isEmpty == true)
    }

    @Test("a gap and an uncovered rule fail the job (exit 1) with file:line; --fail-on decides what counts")
    func findingsFail() async throws {
        let arguments = [
            "coverage", "--rules", Self.reviewFixtures + "/rules", "--catalog", Self.reviewFixtures + "/catalog",
        ]
        let run = try await RbxBinary.run(arguments + ["--color", "never"])
        #expect(run.status == 1)
        #expect(run.stdout.contains("rules/api.yml:6:16: error: ApiLatencyHigh never sets env"))
        #expect(run.stdout.contains("rules/node.yml:11:16: error: DiskFull (group node)"))
        let lenient = try await RbxBinary.run(arguments + ["--fail-on", "", "--quiet"])
        #expect(lenient.status == 0)
        #expect(lenient.stdout.isEmpty)
        let markdown = try await RbxBinary.run(arguments + ["--format", "markdown"])
        #expect(markdown.stdout.hasPrefix("# Alert coverage\n"))
    }

    @Test("an unreadable rule file or a bad flag is a usage error (exit 2) that says where")
    func usageErrors() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-coverage-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bad = directory.appendingPathComponent("bad.yml").path
        try "groups:\n  - name: g\n    rules:\n      - alert: X\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let run = try await RbxBinary.run(["coverage", "--rules", bad])
        #expect(run.status == 2)
        #expect(run.stderr.contains("bad.yml:4:9: error: alert X needs expr:"), "\(run.stderr)")
        let missing = try await RbxBinary.run(["coverage", "--rules", directory.path + "/nope.yml"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file or directory"))
        let flag = try await RbxBinary.run(["coverage", "--rules", bad, "--fail-on", "everything"])
        #expect(flag.status == 2 && flag.stderr.contains("--fail-on everything"))
    }
}
