/// What a finished command did: how it ended, what it printed (bounded) and how long it took.
///
/// A failing command is a *result*, not an error (STYLE.md item 7): a non-zero exit, a death by
/// signal and a timeout all arrive here, so the engine can record them as a step outcome and
/// decide about retries. ``CommandRunner/run(_:)`` throws only when rbx could not act at all.
///
/// Output is kept up to the invocation's ``CommandInvocation/outputLimit`` per stream; the
/// `…Truncated` flags and the `…Bytes` totals say how much the child really wrote, so evidence
/// can state "first 1 MiB of 5 MiB" instead of silently shortening.
public struct CommandResult: Sendable, Hashable {
    /// How the process ended.
    public enum Termination: Sendable, Equatable, Hashable, CustomStringConvertible {
        /// The process called `exit` with this status.
        case exited(Int32)
        /// The process was killed by this signal number (e.g. 15 for `SIGTERM`, 9 for `SIGKILL`).
        case signaled(Int32)

        /// `exited(3)` or `signaled(9)`, as used in timelines and error texts.
        public var description: String {
            switch self {
            case .exited(let code): return "exited(\(code))"
            case .signaled(let signal): return "signaled(\(signal))"
            }
        }
    }

    /// How the direct child ended.
    public var termination: Termination
    /// Whether rbx terminated the process group because the timeout passed.
    public var timedOut: Bool
    /// The first ``CommandInvocation/outputLimit`` bytes of standard output.
    public var stdout: [UInt8]
    /// The first ``CommandInvocation/outputLimit`` bytes of standard error.
    public var stderr: [UInt8]
    /// Whether standard output held more bytes than were kept.
    public var stdoutTruncated: Bool
    /// Whether standard error held more bytes than were kept.
    public var stderrTruncated: Bool
    /// The total number of bytes read from standard output, kept or not.
    public var stdoutBytes: Int
    /// The total number of bytes read from standard error, kept or not.
    public var stderrBytes: Int
    /// Wall time from just before the spawn until the child was reaped (`ContinuousClock`).
    public var duration: Duration

    /// Creates a result; ``ProcessCommandRunner`` does this, as do test doubles.
    public init(
        termination: Termination,
        timedOut: Bool = false,
        stdout: [UInt8] = [],
        stderr: [UInt8] = [],
        stdoutTruncated: Bool = false,
        stderrTruncated: Bool = false,
        stdoutBytes: Int? = nil,
        stderrBytes: Int? = nil,
        duration: Duration = .zero
    ) {
        self.termination = termination
        self.timedOut = timedOut
        self.stdout = stdout
        self.stderr = stderr
        self.stdoutTruncated = stdoutTruncated
        self.stderrTruncated = stderrTruncated
        self.stdoutBytes = stdoutBytes ?? stdout.count
        self.stderrBytes = stderrBytes ?? stderr.count
        self.duration = duration
    }

    /// Whether the command exited with status 0 within its timeout.
    ///
    /// A child that traps `SIGTERM` and exits 0 after a timeout still did not succeed: the step
    /// did not finish in the time the runbook allowed.
    public var succeeded: Bool { termination == .exited(0) && !timedOut }

    /// The exit status, or `nil` when the process was killed by a signal.
    public var exitCode: Int32? {
        if case .exited(let code) = termination { return code }
        return nil
    }

    /// The signal that killed the process, or `nil` when it exited.
    public var signal: Int32? {
        if case .signaled(let signal) = termination { return signal }
        return nil
    }
}
