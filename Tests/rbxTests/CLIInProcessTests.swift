import ArgumentParser
import Foundation
import Testing

@testable import rbx

/// Subcommands run in-process: argument parsing and the outcome, without spawning the CLI.
struct CLIInProcessTests {
    @Test("lint --strict turns warnings into exit 1; without it warnings pass")
    func strictWarnings() async throws {
        let catalog = RbxBinary.fixture("warnings")
        let relaxed = try #require(try Rbx.parseAsRoot(["lint", "--catalog", catalog]) as? LintCommand)
        let relaxedOutcome = await relaxed.execute()
        #expect(relaxedOutcome.exitCode == 0)
        #expect(relaxedOutcome.stdout.contains("warning: step \"snapshot\" runs a shell script"))
        let strict = try #require(try Rbx.parseAsRoot(["lint", "--catalog", catalog, "--strict"]) as? LintCommand)
        #expect(await strict.execute().exitCode == 1)
    }

    @Test("run and drill -q print nothing and exit as without it; the errors still reach standard error")
    func quietRunAndDrill() async throws {
        let root = RbxBinary.repositoryRoot.path
        let base = ["--catalog", root, "--alert", root + "/examples/alerts/instance-down.json", "--no-evidence"]
        for command in [["run", "--dry-run"], ["drill"]] {
            let loud = try #require(try Rbx.parseAsRoot(command + base) as? any OutcomeCommand)
            let quiet = try #require(try Rbx.parseAsRoot(command + base + ["-q"]) as? any OutcomeCommand)
            let (said, silent) = (await loud.execute(), await quiet.execute())
            #expect(!said.stdout.isEmpty, "\(command)")
            #expect(silent.stdout.isEmpty && silent.exitCode == said.exitCode, "\(command): \(silent.stdout)")
        }
        let missing = try #require(
            try Rbx.parseAsRoot(["run", "--dry-run", "--catalog", root, "--alert", "/nonexistent.json", "-q"])
                as? any OutcomeCommand)
        let failed = await missing.execute()
        #expect(failed.exitCode == 2 && !failed.stderr.isEmpty && failed.stdout.isEmpty)
    }

    @Test("match, diff and docs -q print nothing; diff -q exits 1 on a change, as git diff --quiet")
    func quietReports() async throws {
        let root = RbxBinary.repositoryRoot.path
        let match = try #require(
            try Rbx.parseAsRoot([
                "match", "--catalog", root, "--alert", root + "/examples/alerts/instance-down.json", "-q",
            ]) as? any OutcomeCommand)
        let matched = await match.execute()
        #expect(matched.exitCode == 0 && matched.stdout.isEmpty)
        let changed = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-quiet-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: changed) }
        try FileManager.default.createDirectory(at: changed, withIntermediateDirectories: true)
        for item in ["rbx.yaml", "playbooks", "templates", "runbooks"] {
            try FileManager.default.copyItem(atPath: root + "/" + item, toPath: changed.path + "/" + item)
        }
        try FileManager.default.removeItem(atPath: changed.path + "/runbooks/high-cpu.yaml")
        let same = try #require(
            try Rbx.parseAsRoot(["diff", root, root, "--catalog", root, "-q"]) as? any OutcomeCommand)
        let unchanged = await same.execute()
        #expect(unchanged.exitCode == 0 && unchanged.stdout.isEmpty, "\(unchanged.stderr)")
        let other = try #require(
            try Rbx.parseAsRoot(["diff", root, changed.path, "--catalog", root, "-q"]) as? any OutcomeCommand)
        let differs = await other.execute()
        #expect(differs.exitCode == 1 && differs.stdout.isEmpty, "\(differs.stderr)")
        let out = changed.path + "-docs"
        defer { try? FileManager.default.removeItem(atPath: out) }
        let docs = try #require(
            try Rbx.parseAsRoot(["docs", "--catalog", root, "--out", out, "-q"]) as? any OutcomeCommand)
        let written = await docs.execute()
        #expect(written.exitCode == 0 && written.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: out + "/index.md"))
    }

    @Test("help text: paragraphs joined for the parser to wrap, list items wrapped under their text, examples kept")
    func helpReflow() {
        let text = HelpText.reflow(
            """
            First line of a paragraph
            and its second line.

              - an item long enough that it must wrap at seventy-eight columns, under its own text
                and its continuation
              - short

            Examples:
              rbx lint
              rbx test
            """)
        #expect(
            text == """
                First line of a paragraph and its second line.

                  - an item long enough that it must wrap at seventy-eight columns, under its
                    own text and its continuation
                  - short

                Examples:
                  rbx lint
                  rbx test
                """)
        let help = Rbx.helpMessage(for: CoverageCommand.self, columns: 80)
        #expect(help.split(separator: "\n").allSatisfy { $0.count <= 80 || $0.contains("rbx coverage --") })
    }

    @Test("drill and match colour verdicts with --color always, and only the verdict words")
    func colouredTimelineAndMatch() async throws {
        let root = RbxBinary.repositoryRoot.path
        let alert = ["--catalog", root, "--alert", root + "/examples/alerts/instance-down.json"]
        let drill = try #require(
            try Rbx.parseAsRoot(["drill"] + alert + ["--no-evidence", "--assume", "ping=fail", "--color", "always"])
                as? any OutcomeCommand)
        let timeline = await drill.execute().stdout
        #expect(timeline.contains("step        ping \u{1B}[31mfailed\u{1B}[0m (exit 1) after 3 attempts"))
        #expect(timeline.contains("step        target \u{1B}[32mok\u{1B}[0m [assumed]"))
        #expect(timeline.contains("run         finished: \u{1B}[32mresolved\u{1B}[0m"))
        let plain = try #require(
            try Rbx.parseAsRoot(["drill"] + alert + ["--no-evidence", "--color", "never"]) as? any OutcomeCommand)
        #expect(!(await plain.execute().stdout.contains("\u{1B}[")))
        let match = try #require(
            try Rbx.parseAsRoot(["match"] + alert + ["--explain", "--color", "always"]) as? any OutcomeCommand)
        let explained = await match.execute().stdout
        #expect(explained.contains("=> \u{1B}[32mrunbook\u{1B}[0m instance-down"))
        #expect(explained.contains("      \u{1B}[31m-\u{1B}[0m label alertname=\"InstanceDown\" fails"))
    }

    @Test("a PATH limits the report to that file")
    func pathFilter() async throws {
        let catalog = RbxBinary.fixture("broken")
        let command = try #require(
            try Rbx.parseAsRoot(["lint", "--catalog", catalog, catalog + "/rbx.yaml"]) as? LintCommand)
        let outcome = await command.execute()
        #expect(outcome.exitCode == 0)
        #expect(outcome.stdout == "ok: 1 runbook, 0 playbooks, 0 templates checked, no problems\n")
    }

    @Test("a single directory argument is taken as the catalog")
    func directoryArgument() async throws {
        let command = try #require(try Rbx.parseAsRoot(["lint", RbxBinary.fixture("broken")]) as? LintCommand)
        #expect(await command.execute().exitCode == 1)
    }
}
