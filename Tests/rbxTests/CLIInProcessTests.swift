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
