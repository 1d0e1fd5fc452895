public import RunbookCore

/// What one step did. A failed step is a result, not a thrown error: the run goes on to
/// decide (continue_on_error, escalation) and the evidence records it.
public struct StepResult: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case ok, failed, skipped, denied, interrupted
        case timedOut = "timed_out"
        /// A dry run rendered the step and recorded what it would have done.
        case wouldRun = "would_run"
    }

    /// Where the outcome came from, so an auditor never mistakes an assumption for a fact.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// The command really ran.
        case executed
        /// A drill took the outcome from `--assume` (or the default: ok).
        case assumed
        /// A dry run or a drill rendered it but did not run it.
        case rendered
    }

    public var id: String
    public var kind: StepKind
    public var status: Status
    public var origin: Origin
    public var exitCode: Int32?
    public var signal: Int32?
    public var stdout: String
    public var stderr: String
    public var stdoutTruncated: Bool
    public var stderrTruncated: Bool
    /// Typed as extracted (``StepOutput/extract(stdout:stderr:)``); stored and shown as JSON.
    public var outputs: [String: ExpressionValue]
    public var attempts: Int
    /// Offset from the start of the run.
    public var startedAt: Duration
    public var duration: Duration
    /// The rendered command (argv, or `/bin/sh -c SCRIPT`), secrets redacted.
    public var command: [String]?
    /// Why the step failed or was skipped, in words.
    public var note: String?
    /// The steps of a called playbook.
    public var children: [StepResult]
    /// For a `query:` step: what Prometheus answered (or the drill assumed), with the rendered
    /// query and the server; `steps.ID.value`, `.samples` and `.result_type` read it.
    public var query: QueryResult?

    public init(
        id: String, kind: StepKind, status: Status, origin: Origin, startedAt: Duration, exitCode: Int32? = nil,
        signal: Int32? = nil, stdout: String = "", stderr: String = "", stdoutTruncated: Bool = false,
        stderrTruncated: Bool = false, outputs: [String: ExpressionValue] = [:], attempts: Int = 0,
        duration: Duration = .zero,
        command: [String]? = nil, note: String? = nil, children: [StepResult] = []
    ) {
        self.id = id
        self.kind = kind
        self.status = status
        self.origin = origin
        self.startedAt = startedAt
        self.exitCode = exitCode
        self.signal = signal
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.outputs = outputs
        self.attempts = attempts
        self.duration = duration
        self.command = command
        self.note = note
        self.children = children
    }

    /// `steps.<id>.ok`: succeeded (a dry run's "would run" counts, so the flow can be shown).
    public var ok: Bool { status == .ok || status == .wouldRun }
}
