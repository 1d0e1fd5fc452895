import ArgumentParser
import Foundation
import Testing

@testable import rbx

/// The reviewers' commands in-process: arguments, output and the exit codes CI relies on.
struct ReviewCommandTests {
    static let root = RbxBinary.repositoryRoot.path

    @Test("rbx test passes on the example catalog, and every runbook has tests")
    func exampleCatalogTests() async throws {
        let command = try #require(
            try Rbx.parseAsRoot(["test", "--catalog", Self.root, "--format", "json"]) as? TestCommand)
        let outcome = await command.execute()
        #expect(outcome.exitCode == 0, "\(outcome.stdout)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let coverage = try #require(report["coverage"] as? [[String: Any]])
        #expect(coverage.count == 14)
        for entry in coverage {
            #expect((entry["tests"] as? Int ?? 0) > 0, "runbook \(entry["runbook"] ?? "?") has no tests")
        }
    }

    @Test("rbx test exits 1 on a failing expectation and 2 without a catalog")
    func testExitCodes() async throws {
        let catalog = try copyOfExampleCatalogWithAFailingTest()
        let failing = try #require(try Rbx.parseAsRoot(["test", "--catalog", catalog]) as? TestCommand)
        let outcome = await failing.execute()
        #expect(outcome.exitCode == 1)
        #expect(outcome.stdout.contains("tests/instance-down.yaml:"))
        #expect(outcome.stdout.contains("escalations: expected [5m secondary-oncall"))
        let missing = try #require(try Rbx.parseAsRoot(["test", "--catalog", "/nonexistent/catalog"]) as? TestCommand)
        #expect(await missing.execute().exitCode == 2)
    }

    @Test("rbx test --junit writes Ant's JUnit format: a testcase per test, a failure at its file:line, lint errors")
    func junitReport() async throws {
        let catalog = try copyOfExampleCatalogWithAFailingTest()
        let report = catalog + "/results/rbx.xml"
        try FileManager.default.createDirectory(atPath: catalog + "/results", withIntermediateDirectories: true)
        let command = try #require(
            try Rbx.parseAsRoot(["test", "--catalog", catalog, "--junit", report, "--format", "json"]) as? TestCommand)
        let outcome = await command.execute()
        #expect(outcome.exitCode == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let tests = try #require(json["tests"] as? [[String: Any]])
        let failed = tests.filter { $0["passed"] as? Bool == false }
        #expect(!failed.isEmpty)
        let schema = RbxBinary.fixture("junit/ant-junit.xsd")
        let valid = try await ServeProcess.tool(["xmllint", "--noout", "--schema", schema, report])
        #expect(valid.status == 0, "\(valid.stderr)")
        func count(_ path: String) async throws -> Int {
            Int(
                try await ServeProcess.tool(["xmllint", "--xpath", "count(\(path))", report]).stdout
                    .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        #expect(try await count("//testcase") == tests.count)
        #expect(try await count("//testcase/failure") == failed.count)
        let message = try await ServeProcess.tool(
            ["xmllint", "--xpath", "string(//failure[contains(@message, 'instance-down')]/@message)", report])
        #expect(message.stdout.contains(#/tests/instance-down\.yaml:\d+:\d+: /#), "\(message.stdout)")

        // A catalog with a lint error runs no test: its errors are error test cases.
        try "apiVersion: rbx/v1\nkind: Runbook\nmetadata:\n  name: <broken & \"odd\">\nsteps: 7\n".write(
            toFile: catalog + "/runbooks/broken.yaml", atomically: true, encoding: .utf8)
        let broken = try #require(
            try Rbx.parseAsRoot(["test", "--catalog", catalog, "--junit", report]) as? TestCommand)
        #expect(await broken.execute().exitCode == 1)
        #expect(try await ServeProcess.tool(["xmllint", "--noout", "--schema", schema, report]).status == 0)
        #expect(try await count("//testcase/error") > 0)
        #expect(try await count("//testcase/failure") == 0)
        let unwritable = try #require(
            try Rbx.parseAsRoot(["test", "--catalog", catalog, "--junit", "/nonexistent/dir/r.xml"]) as? TestCommand)
        let refused = await unwritable.execute()
        #expect(refused.exitCode == 2 && refused.stderr.contains("cannot write the JUnit report"))
    }

    @Test("rbx diff --exit-code: 0 for the same catalog, 1 for a behaviour change, 2 for a bad revision")
    func diffExitCodes() async throws {
        let before = try copyOfExampleCatalog()
        let after = try copyOfExampleCatalog()
        let same = try #require(try Rbx.parseAsRoot(["diff", before, after, "--exit-code"]) as? DiffCommand)
        let sameOutcome = await same.execute()
        #expect(sameOutcome.exitCode == 0)
        #expect(sameOutcome.stdout.contains("no behaviour change"))

        // high-cpu follows the catalog's default policy, standard, below P1.
        try String(contentsOfFile: after + "/rbx.yaml", encoding: .utf8)
            .replacingOccurrences(of: "        - after: 45m\n", with: "        - after: 1h\n")
            .write(toFile: after + "/rbx.yaml", atomically: true, encoding: .utf8)
        let changed = try #require(
            try Rbx.parseAsRoot(["diff", before, after, "--exit-code", "--format", "markdown"]) as? DiffCommand)
        let changedOutcome = await changed.execute()
        #expect(changedOutcome.exitCode == 1)
        #expect(changedOutcome.stdout.contains("team-lead is now paged after 1h instead of 45m"))
        let informational = try #require(try Rbx.parseAsRoot(["diff", before, after]) as? DiffCommand)
        #expect(await informational.execute().exitCode == 0)

        let bad = try #require(try Rbx.parseAsRoot(["diff", "no-such-revision", "--catalog", before]) as? DiffCommand)
        let badOutcome = await bad.execute()
        #expect(badOutcome.exitCode == 2)
        #expect(badOutcome.stderr.hasPrefix("rbx diff: cannot"))
    }

    @Test("rbx docs writes a page per runbook and an HTML build")
    func docsWritesPages() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-docs-\(UUID().uuidString)").path
        let command = try #require(try Rbx.parseAsRoot(["docs", "--catalog", Self.root, "--out", out]) as? DocsCommand)
        let outcome = await command.execute()
        #expect(outcome.exitCode == 0, "\(outcome.stderr)")
        for page in ["index.md", "instance-down.md", "html/index.html", "html/instance-down.html"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + page), "\(page)")
        }
    }

    /// The example catalog's files (not the whole repository) in a temporary directory.
    /// A copy whose instance-down tests fail: that runbook follows the critical policy in
    /// rbx.yaml, whose second rung moves from 5m to 10m.
    private func copyOfExampleCatalogWithAFailingTest() throws -> String {
        let catalog = try copyOfExampleCatalog()
        try String(contentsOfFile: catalog + "/rbx.yaml", encoding: .utf8)
            .replacingOccurrences(
                of: "        - after: 5m\n          notify: [secondary-oncall]\n",
                with: "        - after: 10m\n          notify: [secondary-oncall]\n"
            )
            .write(toFile: catalog + "/rbx.yaml", atomically: true, encoding: .utf8)
        return catalog
    }

    private func copyOfExampleCatalog() throws -> String {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-catalog-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        for item in ["rbx.yaml", "runbooks", "playbooks", "templates", "tests", "examples"] {
            try FileManager.default.copyItem(atPath: Self.root + "/" + item, toPath: target + "/" + item)
        }
        return target
    }
}

/// `--format text|json` on every command that reports, `--json` kept where it was.
struct OutputFormatTests {
    static let root = RbxBinary.repositoryRoot.path

    @Test("drill: --format json and --json print the same JSON; an unknown format is a usage error")
    func drillFormats() async throws {
        let base = [
            "drill", "instance-down", "--alert", Self.root + "/examples/alerts/instance-down.json", "--catalog",
            Self.root, "--no-evidence",
        ]
        var printed: [[String: Any]] = []
        for flags in [["--format", "json"], ["--json"]] {
            let command = try #require(try Rbx.parseAsRoot(base + flags) as? DrillCommand)
            let outcome = await command.execute()
            #expect(outcome.exitCode == 0, "\(outcome.stderr)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            #expect(object["runbook"] as? String == "instance-down", "\(outcome.stdout.prefix(300))")
            printed.append(object)
        }
        // The same report but for the run's id.
        #expect(Set(printed[0].keys) == Set(printed[1].keys))
        #expect(printed.map { $0["outcome"] as? String } == ["resolved", "resolved"])
        #expect((printed[0]["timeline"] as? [String])?.count == (printed[1]["timeline"] as? [String])?.count)
        #expect(throws: (any Error).self) { try Rbx.parseAsRoot(base + ["--format", "xml"]) }
        let runs = try #require(
            try Rbx.parseAsRoot(["runs", "--server", "http://127.0.0.1:1", "--format", "json"]) as? RunsCommand)
        #expect(runs.output.wantsJSON)
    }
}

/// Colour: `--color always` marks the words a person scans for, `never` (and a pipe, the
/// default `auto` in tests) leaves the text plain.
struct ReportColorTests {
    @Test("errors red, warnings yellow, FAIL red and ok green, only where a finding starts")
    func highlight() {
        let text = """
            runbooks/a.yaml:3:5: error: step "x" says error: here [code]
            runbooks/b.yaml:4:1: warning: shell step [shell-step]
            tests/a.yaml:
              FAIL pages secondary
              ok   resolves
            error: no catalog
            2 tests, 1 passed
            """
        let shown = ReportHighlight.apply(text).split(separator: "\n").map(String.init)
        #expect(shown[0] == "runbooks/a.yaml:3:5: \u{1B}[31merror\u{1B}[0m: step \"x\" says error: here [code]")
        #expect(shown[1] == "runbooks/b.yaml:4:1: \u{1B}[33mwarning\u{1B}[0m: shell step [shell-step]")
        #expect(shown[2] == "tests/a.yaml:")
        #expect(shown[3] == "  \u{1B}[31mFAIL\u{1B}[0m pages secondary")
        #expect(shown[4] == "  \u{1B}[32mok\u{1B}[0m   resolves")
        #expect(shown[5] == "\u{1B}[31merror\u{1B}[0m: no catalog")
        #expect(shown[6] == "2 tests, 1 passed")
    }

    @Test("lint: --color always colours, never and the default on a pipe do not")
    func lintColor() async throws {
        let broken = RbxBinary.fixture("broken")
        // The default colours only on a terminal without NO_COLOR: whatever runs the tests decides.
        for (flags, coloured) in [
            (["--color", "always"], true), (["--color", "never"], false), ([], ColorChoice.auto.enabled),
        ] {
            let command = try #require(try Rbx.parseAsRoot(["lint", "--catalog", broken] + flags) as? LintCommand)
            let outcome = await command.execute()
            #expect(outcome.stdout.contains("\u{1B}[") == coloured, "\(flags): \(outcome.stdout.prefix(200))")
        }
    }
}

/// `--quiet`: problems only, nothing when there are none; exit codes unchanged.
struct QuietOutputTests {
    static let root = RbxBinary.repositoryRoot.path

    @Test("lint and test print nothing on a clean catalog and only the problems on a broken one")
    func quiet() async throws {
        let clean = try #require(try Rbx.parseAsRoot(["lint", "--catalog", Self.root, "-q"]) as? LintCommand)
        let cleanOutcome = await clean.execute()
        #expect(cleanOutcome.exitCode == 0 && cleanOutcome.stdout.isEmpty, "\(cleanOutcome.stdout)")
        let broken = try #require(
            try Rbx.parseAsRoot(["lint", "--catalog", RbxBinary.fixture("broken"), "--quiet"]) as? LintCommand)
        let brokenOutcome = await broken.execute()
        #expect(brokenOutcome.exitCode == 1)
        let lines = brokenOutcome.stdout.split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.contains(": error: ") }, "\(brokenOutcome.stdout)")

        let passing = try #require(try Rbx.parseAsRoot(["test", "--catalog", Self.root, "-q"]) as? TestCommand)
        let passed = await passing.execute()
        #expect(passed.exitCode == 0 && passed.stdout.isEmpty, "\(passed.stdout.prefix(300))")
    }
}

/// Progress on standard error for long work, only on a terminal.
struct ProgressOutputTests {
    static let root = RbxBinary.repositoryRoot.path

    @Test("rbx docs shows its progress on a terminal (a real pty, through script) and nothing on a pipe")
    func docsProgress() async throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-docs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let onTerminal = try await ServeProcess.tool([
            "/usr/bin/script", "-qec", "\(RbxBinary.path) docs --catalog \(Self.root) --out \(out)/a", "/dev/null",
        ])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("\rrendering runbook pages 14/14\u{1B}[K"), "\(onTerminal.stdout)")
        #expect(onTerminal.stdout.contains("\r\u{1B}[Kwrote 14 runbook pages"), "the line is cleared first")
        let onPipe = try await RbxBinary.run(["docs", "--catalog", Self.root, "--out", out + "/b"])
        #expect(onPipe.status == 0)
        #expect(onPipe.stderr.isEmpty, "\(onPipe.stderr)")
    }

    @Test("rbx lint and rbx diff show their progress on a terminal, and lint -q does not")
    func lintAndDiffProgress() async throws {
        let lint = try await ServeProcess.tool([
            "/usr/bin/script", "-qec", "\(RbxBinary.path) lint --catalog \(Self.root)", "/dev/null",
        ])
        #expect(lint.status == 0, "\(lint.stdout)")
        #expect(lint.stdout.contains("\rlinting runbooks 14/14\u{1B}[K"), "\(lint.stdout)")
        let quiet = try await ServeProcess.tool([
            "/usr/bin/script", "-qec", "\(RbxBinary.path) lint --catalog \(Self.root) -q", "/dev/null",
        ])
        #expect(quiet.status == 0 && !quiet.stdout.contains("linting runbooks"), "\(quiet.stdout)")
        // Two directories: the same catalog on both sides, 14 runbooks compared.
        let diff = try await ServeProcess.tool([
            "/usr/bin/script", "-qec", "\(RbxBinary.path) diff \(Self.root) \(Self.root) --catalog \(Self.root)",
            "/dev/null",
        ])
        #expect(diff.status == 0, "\(diff.stdout)")
        #expect(diff.stdout.contains("\rloading both catalogs 28/28\u{1B}[K"), "\(diff.stdout)")
        #expect(diff.stdout.contains("\rcomparing runbooks 14/14\u{1B}[K"), "\(diff.stdout)")
        let onPipe = try await RbxBinary.run(["lint", "--catalog", Self.root])
        #expect(onPipe.status == 0 && onPipe.stderr.isEmpty, "\(onPipe.stderr)")
    }

    @Test("rbx test counts its tests on a terminal and says nothing of it on a pipe")
    func testProgress() async throws {
        let onTerminal = try await ServeProcess.tool([
            "/usr/bin/script", "-qec", "\(RbxBinary.path) test --catalog \(Self.root)", "/dev/null",
        ])
        #expect(onTerminal.status == 0, "\(onTerminal.stdout.suffix(500))")
        let total = try #require(onTerminal.stdout.firstMatch(of: #/(\d+) tests, \1 passed/#)?.1)
        #expect(
            onTerminal.stdout.contains("\rrunning tests \(total)/\(total)\u{1B}[K"), "\(onTerminal.stdout.prefix(300))")
        let onPipe = try await RbxBinary.run(["test", "--catalog", Self.root])
        #expect(onPipe.status == 0 && onPipe.stderr.isEmpty, "\(onPipe.stderr)")
    }
}
