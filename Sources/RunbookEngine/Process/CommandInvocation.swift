/// One program to run: its argv, its complete environment, its limits.
///
/// An invocation is plain data so the engine can render it, record it in evidence, show it in a
/// dry run and hand it to a ``CommandRunner`` without touching the operating system. It is built
/// for runbooks that interpolate alert labels into commands, so every field is taken literally:
///
/// - `argv` is never joined, re-split or given to a shell. `argv[0]` names the program: an
///   absolute path, a path relative to the working directory, or a bare name looked up in
///   `environment["PATH"]` (never in rbx's own `PATH`). A label such as `x; rm -rf /` stays one
///   argument. Use ``ShellQuoting`` when a runbook opts into `shell:`.
/// - `environment` is the child's *complete* environment. Nothing leaks from rbx's own process,
///   so a secret rbx holds in its environment reaches a step only when the caller allow-lists it.
///
/// ```swift
/// let invocation = CommandInvocation(
///     argv: ["curl", "-fsS", "http://\(instance)/health"],
///     environment: ["PATH": "/usr/bin:/bin"],
///     timeout: .seconds(30))
/// let result = try await ProcessCommandRunner().run(invocation)
/// ```
///
/// Its `description` names the program and the environment's keys but never argument or
/// environment values, which may carry secrets (STYLE.md item 8).
public struct CommandInvocation: Sendable, Hashable {
    /// The program and its arguments, each passed to the program verbatim.
    public var argv: [String]
    /// The complete environment of the child; nothing is inherited from rbx.
    public var environment: [String: String]
    /// The child's working directory; `nil` keeps rbx's.
    public var workingDirectory: String?
    /// Bytes for the child's standard input; `nil` connects it to `/dev/null`.
    public var standardInput: [UInt8]?
    /// The wall-clock limit, measured from just before the spawn.
    public var timeout: Duration
    /// How long the process group gets between `SIGTERM` (sent at the timeout) and `SIGKILL`.
    public var killGrace: Duration
    /// Bytes kept per stream (stdout and stderr each); the rest is read and discarded.
    public var outputLimit: Int
    /// The step the command belongs to (`RUN/STEP`): set as ``StepContainment/variable`` in the
    /// child's environment, so what the command leaves behind is found and killed when it ends.
    public var mark: String?

    /// The default ``outputLimit``: 1 MiB per stream, enough for diagnostics and bounded for evidence.
    public static let defaultOutputLimit = 1024 * 1024

    /// Creates an invocation.
    ///
    /// - Parameters:
    ///   - argv: The program followed by its arguments; must not be empty.
    ///   - environment: The child's complete environment (already allow-listed by the caller).
    ///   - workingDirectory: The child's working directory, or `nil` for rbx's own.
    ///   - standardInput: Bytes for standard input, or `nil` for `/dev/null`.
    ///   - timeout: The wall-clock limit after which the process group is terminated.
    ///   - killGrace: The pause between `SIGTERM` and `SIGKILL` after a timeout.
    ///   - outputLimit: Bytes kept per stream; negative values count as zero.
    ///   - mark: The step the command belongs to, for ``StepContainment``.
    public init(
        argv: [String],
        environment: [String: String] = [:],
        workingDirectory: String? = nil,
        standardInput: [UInt8]? = nil,
        timeout: Duration = .seconds(60),
        killGrace: Duration = .seconds(5),
        outputLimit: Int = CommandInvocation.defaultOutputLimit,
        mark: String? = nil
    ) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.standardInput = standardInput
        self.timeout = timeout
        self.killGrace = killGrace
        self.outputLimit = outputLimit
        self.mark = mark
    }

    /// The program as written in the invocation (`argv[0]`), or `""` for an empty argv.
    public var program: String { argv.first ?? "" }
}

extension CommandInvocation: CustomStringConvertible {
    /// A log-safe summary: the program, the argument count and the environment's keys only.
    public var description: String {
        let keys = environment.keys.sorted().joined(separator: ", ")
        return "CommandInvocation(program: \(program), arguments: \(max(argv.count - 1, 0)), "
            + "environment: [\(keys)], timeout: \(timeout))"
    }
}
