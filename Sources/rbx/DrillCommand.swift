import ArgumentParser
import Foundation
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

            With --server URL the drill goes through a running rbx serve instead: the alert takes
            the real intake, routing, dedup, silences, claims, store and timers, every step is
            assumed ok (safe diagnostics run with --run-diagnostics), and every message is
            recorded with a "[DRILL]" prefix and not sent, except to notifiers marked
            `drill: deliver`. --speed 60 runs its ladder and waits 60 times faster. The result is
            a run marked drill, with its evidence bundle, in the console and `rbx runs`.

            Exit codes: 0 the rehearsed run succeeded or resolved, 1 it failed (or the evidence
            could not be written), 2 usage or input errors.

            Examples:
              rbx drill instance-down --alert examples/alerts/instance-down.json
              rbx drill --alert alert.json --assume verify=fail --ack-at 12m
              rbx drill disk-space-low --alert a.json --assume restart=exit:3 --resolve-at 40m
              rbx drill --server http://rbx:9095 instance-down --alert examples/alerts/instance-down.json --speed 60
            """)

    @OptionGroup var arguments: RunArguments

    @Option(
        name: .customLong("assume"),
        help: ArgumentHelp(
            "A step's outcome, and optionally how long it took: STEP=ok|fail|exit:N|timeout[:DURATION], e.g. fix=ok:40s "
                + "(repeatable; a playbook's step is CALLER.STEP).", valueName: "STEP=OUTCOME"),
        completion: CatalogCompletion.steps)
    var assumptions: [String] = []

    @Option(
        name: .customLong("assume-budget"),
        help: ArgumentHelp(
            "Uses a step's budget already had in its window: STEP=N, e.g. restart=3 (repeatable; _runbook=N for the "
                + "runbook's own budget).", valueName: "STEP=N"))
    var budgets: [String] = []

    @Option(
        name: .customLong("assume-query"),
        help: ArgumentHelp(
            "What a query step's Prometheus answers: STEP=NUMBER (a scalar), or STEP=NUMBER{label=value,...} (one "
                + "sample with those labels), e.g. age=30{host=pg-main-1} (repeatable).",
            valueName: "STEP=VALUE"))
    var queries: [String] = []

    @Flag(help: "Really run diagnostic steps marked safe: true.")
    var runDiagnostics = false

    @Option(
        help: ArgumentHelp(
            "Start the drill's virtual clock at this time (RFC 3339, e.g. 2026-12-07T03:00:00Z; default now). A "
                + "scheduled runbook or check without --alert runs its tick at or before it.", valueName: "TIME"))
    var at: String?

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

    @Option(
        help: ArgumentHelp(
            "Drill through this running rbx serve (its token from $RBX_TOKEN or --token-file).", valueName: "URL"))
    var server: String?

    @Option(help: ArgumentHelp("With --server: read the API token from this file.", valueName: "PATH"))
    var tokenFile: String?

    @Option(help: "With --server: how many times faster than real time the ladder and waits run (1-3600).")
    var speed = 1

    @Flag(help: "With --server: return once the drill alert is taken, without following its run.")
    var noWait = false

    @Option(
        help: ArgumentHelp(
            "With --server: how long to follow the run before giving up (default 2m).", valueName: "DURATION"))
    var timeout = "2m"

    func validate() throws {
        if let at, RFC3339.secondsSinceEpoch(at) == nil {
            throw ValidationError("--at \(at): write an RFC 3339 time like 2026-12-07T03:00:00Z")
        }
        if server != nil {
            guard arguments.alert != nil else {
                throw ValidationError("--server: give the drill's alert with --alert FILE")
            }
            if at != nil {
                throw ValidationError("--at is for drills in virtual time; through --server the server's clock runs")
            }
            guard arguments.runbook != nil else {
                throw ValidationError(
                    "--server: name the runbook to rehearse (rbx drill --server URL RUNBOOK --alert FILE)")
            }
            let local = [
                ("--assume", !assumptions.isEmpty), ("--ack-at", ackAt != nil), ("--resolve-at", resolveAt != nil),
                ("--for", horizon != nil), ("--assume-budget", !budgets.isEmpty), ("--assume-query", !queries.isEmpty),
            ].filter(\.1).map(\.0)
            if let flag = local.first {
                throw ValidationError(
                    "\(flag) is for drills in virtual time; through --server every step is assumed ok and the timers fire "
                        + "on the server (acknowledge or resolve the drill's run in the console or with rbx ack)")
            }
            guard (1...3600).contains(speed) else {
                throw ValidationError("--speed \(speed): a whole number from 1 to 3600")
            }
            guard Duration(runbook: timeout) != nil else {
                throw ValidationError("--timeout \(timeout): write a duration like 90s or 5m")
            }
        }
        for assumption in assumptions {
            let parts = assumption.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, DrillOptions.Assumption.timed(String(parts[1])) != nil else {
                throw ValidationError(
                    "--assume \(assumption): write STEP=ok, STEP=fail, STEP=exit:N or STEP=timeout, optionally with how long "
                        + "the step took (STEP=ok:40s)")
            }
        }
        for query in queries where Self.query(query) == nil {
            throw ValidationError(
                "--assume-query \(query): write STEP=NUMBER or STEP=NUMBER{label=value,...}, e.g. age=30{host=pg-1}")
        }
        for budget in budgets where Self.budget(budget) == nil {
            throw ValidationError("--assume-budget \(budget): write STEP=N, the uses already in the window (restart=3)")
        }
        for (flag, value) in [("--ack-at", ackAt), ("--resolve-at", resolveAt), ("--for", horizon)] {
            if let value, Duration(runbook: value) == nil {
                throw ValidationError("\(flag) \(value): write a duration like 90s, 12m or 1h30m")
            }
        }
    }

    func execute() async -> CommandOutcome {
        await executeDrill().quieted(arguments.quiet)
    }

    private func executeDrill() async -> CommandOutcome {
        if let server, let runbook = arguments.runbook, let alertPath = arguments.alert {
            var options = ServerOptions()
            options.server = server
            options.tokenFile = tokenFile
            return await ServerDrill(
                client: options.client, runbook: runbook, alertPath: alertPath, speed: speed,
                runDiagnostics: runDiagnostics, wait: noWait ? nil : Duration(runbook: timeout)
            ).execute()
        }
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
        for budget in budgets {
            if let (step, used) = Self.budget(budget) { options.assumedBudgets[step] = used }
        }
        for query in queries {
            if let (step, result) = Self.query(query) { options.assumedQueries[step] = result }
        }
        var support = arguments.support
        support.tickAt = at.flatMap(RFC3339.secondsSinceEpoch).map { Date(timeIntervalSince1970: $0) }
        return await support.execute(mode: .drill(options), clock: VirtualClock()) { _, _ in
            RecordingNotificationSender()
        }
    }

    /// `STEP=NUMBER` or `STEP=NUMBER{label=value,...}` of `--assume-query`.
    static func query(_ text: String) -> (step: String, result: QueryResult)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        guard let brace = parts[1].firstIndex(of: "{") else {
            guard let number = Double(parts[1]), number.isFinite else { return nil }
            return (parts[0], QueryResult(resultType: "scalar", value: number))
        }
        guard let number = Double(parts[1][..<brace]), number.isFinite, parts[1].hasSuffix("}") else { return nil }
        var labels: [String: String] = [:]
        let inside = parts[1][parts[1].index(after: brace)..<parts[1].index(before: parts[1].endIndex)]
        for pair in inside.split(separator: ",") {
            let label = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard label.count == 2, !label[0].isEmpty else { return nil }
            labels[label[0]] = label[1]
        }
        return (parts[0], .vector([QueryResult.Sample(labels: labels, value: number)]))
    }

    /// `STEP=N` of `--assume-budget`.
    private static func budget(_ text: String) -> (step: String, used: Int)? {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, let used = Int(parts[1]), used >= 0 else { return nil }
        return (parts[0], used)
    }
}
