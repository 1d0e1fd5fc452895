import ArgumentParser
import RunbookCore
import RunbookEngine

/// `rbx`: runbooks as code. Each subcommand parses its arguments, calls one library entry
/// point and maps the result to an exit code; the logic lives in the libraries.
struct Rbx: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rbx",
        abstract: "Run on-call runbooks as code: lint, match, drill and execute them, or serve alerts over HTTP.",
        discussion: """
            A catalog is a directory with rbx.yaml, runbooks/, playbooks/ and templates/.
            Exit codes: 0 ok, 1 the thing checked failed (lint problems, no runbook matched),
            2 usage or input errors (bad flags, unreadable files, invalid alert JSON).
            """,
        version: RBXVersion.current,
        subcommands: [
            LintCommand.self, MatchCommand.self, SchemaCommand.self, RunCommand.self, DrillCommand.self,
            EvidenceCommand.self,
            TestCommand.self, DiffCommand.self, ServeCommand.self, RunsCommand.self, AckCommand.self,
            ResolveCommand.self, ApproveCommand.self, DenyCommand.self, DocsCommand.self, DoctorCommand.self,
            CoverageCommand.self, ImportCommand.self,
        ]
    )
}

/// Exit codes scripts can rely on (documented in `rbx --help`).
enum RbxExit {
    static let ok: Int32 = 0
    static let failed: Int32 = 1
    static let usage: Int32 = 2
}

/// What a command printed and how it ended, so tests can run commands in-process.
struct CommandOutcome {
    var stdout = ""
    var stderr = ""
    var exitCode: Int32 = RbxExit.ok

    /// The outcome of a command run with `--quiet`: errors and the exit code only.
    func quieted(_ quiet: Bool) -> CommandOutcome {
        quiet ? CommandOutcome(stdout: "", stderr: stderr, exitCode: exitCode) : self
    }
}

/// A subcommand whose work is a function of its arguments (testable without a process).
protocol OutcomeCommand: AsyncParsableCommand {
    /// Whether the command may start step processes: then rbx adopts their orphans, so nothing
    /// a step starts outlives it (``StepContainment``). Set by the process, not by `execute()`,
    /// which tests call in their own process.
    static var executesSteps: Bool { get }
    func execute() async -> CommandOutcome
}

extension OutcomeCommand {
    static var executesSteps: Bool { false }

    func run() async throws {
        if Self.executesSteps { StepContainment.process.adoptOrphans() }
        let outcome = await execute()
        Output.write(outcome.stdout, to: .standardOutput)
        Output.write(outcome.stderr, to: .standardError)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}
