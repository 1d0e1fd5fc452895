import ArgumentParser
import RunbookCore
import RunbookEngine

struct DrillCommand: OutcomeCommand {
    static let executesSteps = true
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Rehearse a runbook in virtual time: no side effects, a timeline and an evidence bundle.",
        discussion: """
            Every step is assumed to succeed unless --assume says otherwise; nothing is executed
            except, with --run-diagnostics, diagnostic steps marked safe: true. Escalations and
            status updates fire at their virtual times, so a ladder spanning hours is rehearsed
            in milliseconds. Notifications are recorded, never sent.

            Exit codes: 0 the rehearsed run succeeded or resolved, 1 it failed (or the evidence
            could not be written), 2 usage or input errors.

            Examples:
              rbx drill instance-down --alert examples/alerts/instance-down.json
              rbx drill --alert alert.json --assume verify=fail --ack-at 12m
              rbx drill disk-space-low --alert a.json --assume restart=exit:3 --resolve-at 40m
            """)

    @OptionGroup var arguments: RunArguments

    @Option(
        name: .customLong("assume"),
        help: ArgumentHelp(
            "A step's outcome, and optionally how long it took: STEP=ok|fail|exit:N|timeout[:DURATION], e.g. fix=ok:40s "
                + "(repeatable; a playbook's step is CALLER.STEP).", valueName: "STEP=OUTCOME"))
    var assumptions: [String] = []

    @Flag(help: "Really run diagnostic steps marked safe: true.")
    var runDiagnostics = false

    @Option(
        help: ArgumentHelp(
            "Acknowledge the run at this virtual time (stops escalation), e.g. 12m.", valueName: "DURATION"))
    var ackAt: String?

    @Option(help: ArgumentHelp("Resolve the alert at this virtual time, e.g. 20m.", valueName: "DURATION"))
    var resolveAt: String?

    @Option(
        name: .customLong("for"),
        help: ArgumentHelp(
            "Simulate this long if nothing resolves the run (default: the ladder plus two reminders, at least 1h).",
            valueName: "DURATION"))
    var horizon: String?

    func validate() throws {
        for assumption in assumptions {
            let parts = assumption.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, DrillOptions.Assumption.timed(String(parts[1])) != nil else {
                throw ValidationError(
                    "--assume \(assumption): write STEP=ok, STEP=fail, STEP=exit:N or STEP=timeout, optionally with how long "
                        + "the step took (STEP=ok:40s)")
            }
        }
        for (flag, value) in [("--ack-at", ackAt), ("--resolve-at", resolveAt), ("--for", horizon)] {
            if let value, Duration(runbook: value) == nil {
                throw ValidationError("\(flag) \(value): write a duration like 90s, 12m or 1h30m")
            }
        }
    }

    func execute() async -> CommandOutcome {
        var parsed: [String: DrillOptions.Assumption] = [:]
        var durations: [String: Duration] = [:]
        for assumption in assumptions {
            let parts = assumption.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = DrillOptions.Assumption.timed(parts[1]) else { continue }
            parsed[parts[0]] = value.assumption
            durations[parts[0]] = value.duration
        }
        var options = DrillOptions(
            assumptions: parsed, runDiagnostics: runDiagnostics, ackAt: ackAt.flatMap { Duration(runbook: $0) },
            resolveAt: resolveAt.flatMap { Duration(runbook: $0) }, horizon: horizon.flatMap { Duration(runbook: $0) })
        options.assumedDurations = durations
        let support = arguments.support
        return await support.execute(mode: .drill(options), clock: VirtualClock()) { _, _ in
            RecordingNotificationSender()
        }
    }
}
