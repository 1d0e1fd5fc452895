import ArgumentParser
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
