import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle

struct RunCommand: OutcomeCommand {
    static let executesSteps = true
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

            An approval step waits for a decision: on a terminal rbx run shows the step's
            message and what the earlier steps found, and asks. Without a terminal, decide in
            advance with --approve STEP or --deny STEP; otherwise the step fails (it never
            guesses). Its on_timeout applies only when its timeout really elapses. Decisions are
            recorded under $USER; a step with min_approvers of 2 or more cannot be approved by
            the person who started the run.

            Exit codes: 0 the run succeeded or resolved, 1 a step failed, 2 usage or input errors.
            """)

    @OptionGroup var arguments: RunArguments

    @Flag(help: "Render and record everything; execute and send nothing.")
    var dryRun = false

    @Option(
        help: ArgumentHelp(
            "Approve this approval step when it asks (repeatable; CALLER.STEP in a playbook).", valueName: "STEP"))
    var approve: [String] = []

    @Option(help: ArgumentHelp("Deny this approval step when it asks (repeatable).", valueName: "STEP"))
    var deny: [String] = []

    func validate() throws {
        if let both = Set(approve).intersection(deny).first {
            throw ValidationError("--approve \(both) and --deny \(both): decide a step one way")
        }
    }

    func execute() async -> CommandOutcome {
        await executeRun().quieted(arguments.quiet)
    }

    private func executeRun() async -> CommandOutcome {
        let support = arguments.support
        if dryRun {
            return await support.execute(mode: .dryRun, clock: VirtualClock()) { _, _ in RecordingNotificationSender() }
        }
        let person = Identity(
            name: ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "cli")
        var live = support
        live.approvals = (ApprovalAnswers(approve: Set(approve), deny: Set(deny), person: person), approve + deny)
        return await live.execute(mode: .live, clock: ContinuousClock()) { secrets, environment in
            LiveNotificationSender(runner: ProcessCommandRunner(), secrets: secrets, environment: environment)
        }
    }
}
