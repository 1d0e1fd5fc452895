import ArgumentParser
import RunbookCore
import RunbookEngine

struct RunCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Execute a runbook for an alert, for real (or --dry-run).",
        discussion: """
            Commands run as argv lists in their own process group with an allow-listed
            environment; output is capped and secrets are redacted; notifications are sent.
            With --dry-run nothing with side effects happens: every command, message and
            notification is rendered and recorded as "would run".

            rbx run finishes when the steps finish. Escalation rungs that fall due while the
            steps run are sent; later ones are left to rbx serve.

            Exit codes: 0 the run succeeded or resolved, 1 a step failed, 2 usage or input errors.
            """)

    @OptionGroup var arguments: RunArguments

    @Flag(help: "Render and record everything; execute and send nothing.")
    var dryRun = false

    func execute() async -> CommandOutcome {
        let support = arguments.support
        if dryRun {
            return await support.execute(mode: .dryRun, clock: VirtualClock()) { _, _ in RecordingNotificationSender() }
        }
        return await support.execute(mode: .live, clock: ContinuousClock()) { secrets, environment in
            LiveNotificationSender(runner: ProcessCommandRunner(), secrets: secrets, environment: environment)
        }
    }
}
