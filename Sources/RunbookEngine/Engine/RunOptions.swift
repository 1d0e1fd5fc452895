public import Logging
public import RunbookCore
public import RunbookLifecycle

/// How a run treats the world: really, as a dry run, or as a drill in virtual time.
public struct RunOptions: Sendable {
    public enum Mode: Sendable {
        /// Commands run, notifications are sent.
        case live
        /// Nothing with side effects happens: every command, message and notification is
        /// rendered and recorded as "would run".
        case dryRun
        /// A rehearsal in virtual time; see ``DrillOptions``.
        case drill(DrillOptions)

        public var name: String {
            switch self {
            case .live: "live"
            case .dryRun: "dry-run"
            case .drill: "drill"
            }
        }
    }

    public var mode: Mode
    public var runID: String
    /// Wall-clock start, as RFC 3339, for `run.started_at` and the evidence.
    public var startedAt: String
    /// rbx's own environment: the source of `${SECRET}` values and of allow-listed `env.*`.
    public var environment: [String: String]
    /// Between SIGTERM and SIGKILL when a step times out.
    public var killGrace: Duration
    /// Who fires escalation rungs and status updates: the run itself, or a server's durable
    /// store (which outlives the process and fires each one exactly once).
    public var timers: TimerOwnership = .inProcess
    /// Told about each step as it starts and ends, so a server can persist progress.
    public var observer: (any RunObserver)?
    /// Steps an earlier, interrupted attempt of this run already finished.
    public var resume: RunResumption?

    /// How a run no server controls gets approval decisions (`rbx run`); nil fails an
    /// approval step with an explanation instead of guessing.
    public var prompter: (any ApprovalPrompter)?
    /// The person who started the run by hand; four-eyes approval steps refuse them.
    public var startedBy: String?
    /// Set when this run takes over an alert another runbook's `stop` step handed off.
    public var handedOffFrom: RunHandoff.Origin?
    /// Where the run logs what a person following it needs (a step failed, an approval is
    /// wanted), with `run.id` and `step.id`; the server passes its own, `rbx run` none.
    public var logger: Logger?
    /// Where budgeted steps ask for a use in live runs (the server's store); nil: a ledger in
    /// memory, for this run alone (`rbx run`). Drills count in memory from
    /// ``DrillOptions/assumedBudgets`` whatever is set here.
    public var budgets: (any BudgetLedger)?
    /// Where `raise:` steps send their alerts in a live run; nil: recorded, not sent.
    public var raiser: (any AlertRaiser)?

    public enum TimerOwnership: Sendable, Equatable { case inProcess, external }

    public init(
        mode: Mode, runID: String, startedAt: String, environment: [String: String], killGrace: Duration = .seconds(5)
    ) {
        self.mode = mode
        self.runID = runID
        self.startedAt = startedAt
        self.environment = environment
        self.killGrace = killGrace
    }

    public var isDryRun: Bool {
        if case .dryRun = mode { return true }
        return false
    }

    var drill: DrillOptions? {
        if case .drill(let options) = mode { return options }
        return nil
    }
}

/// What a drill assumes about the world.
public struct DrillOptions: Sendable {
    /// An assumed step outcome: `ok`, `fail`, `exit:N`, `timeout` (`--assume verify=fail`).
    public enum Assumption: Sendable, Equatable, CustomStringConvertible {
        case ok, fail, timeout
        case exit(Int32)

        public init?(_ text: String) {
            switch text {
            case "ok": self = .ok
            case "fail": self = .fail
            case "timeout": self = .timeout
            default:
                guard text.hasPrefix("exit:"), let code = Int32(text.dropFirst(5)) else { return nil }
                self = .exit(code)
            }
        }

        /// An outcome with, optionally, how long the step took: `ok:40s`, `fail:3s`, `exit:2:1m`.
        /// A drill given the outcomes and durations a real run had tells the same story, at the
        /// same times.
        public static func timed(_ text: String) -> (assumption: Assumption, duration: Duration?)? {
            if let plain = Assumption(text) { return (plain, nil) }
            guard let colon = text.lastIndex(of: ":"), let assumption = Assumption(String(text[..<colon])),
                let duration = Duration(runbook: String(text[text.index(after: colon)...]))
            else { return nil }
            return (assumption, duration)
        }

        public var description: String {
            switch self {
            case .ok: "ok"
            case .fail: "fail"
            case .timeout: "timeout"
            case .exit(let code): "exit:\(code)"
            }
        }
    }

    /// By step id; a step inside a playbook call is `CALLER.STEP` (`restart.restart`).
    public var assumptions: [String: Assumption]
    /// Really run `diagnostic` steps marked `safe: true`.
    public var runDiagnostics: Bool
    public var ackAt: Duration?
    public var resolveAt: Duration?
    /// How long to simulate when nothing resolves the run (default: the ladder plus a margin).
    public var horizon: Duration?
    /// What an assumed step printed, by step id: its `outputs:` are extracted from it as from
    /// a real run's stdout, so guards on outputs (`steps.container.outputs.state`) can be
    /// rehearsed.
    public var assumedStdout: [String: String] = [:]
    /// How long an assumed step took, by step id (`--assume fix=ok:40s`); without one an assumed
    /// step takes no virtual time, and an assumed `timeout` takes the step's whole timeout.
    public var assumedDurations: [String: Duration] = [:]
    /// What an assumed `query:` step returned, by step id: `steps.ID.value` and `.samples`
    /// come from it, and `until` is evaluated against it. A query step without one gives
    /// `null` (and its `until` is assumed to hold, as for any assumed step).
    public var assumedQueries: [String: QueryResult] = [:]
    /// Uses a budget already had when the drill starts, by step id (`_runbook` for the runbook's
    /// own): `restart: 3` with `max: 3` rehearses the exhausted path. Nothing a drill uses is counted
    /// anywhere else.
    public var assumedBudgets: [String: Int] = [:]

    public init(
        assumptions: [String: Assumption] = [:], runDiagnostics: Bool = false, ackAt: Duration? = nil,
        resolveAt: Duration? = nil, horizon: Duration? = nil, assumedStdout: [String: String] = [:]
    ) {
        self.assumedStdout = assumedStdout
        self.assumptions = assumptions
        self.runDiagnostics = runDiagnostics
        self.ackAt = ackAt
        self.resolveAt = resolveAt
        self.horizon = horizon
    }
}
