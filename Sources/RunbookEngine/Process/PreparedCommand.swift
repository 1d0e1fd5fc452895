import Subprocess

#if canImport(System)
    import System
#else
    import SystemPackage
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A validated invocation, translated into a swift-subprocess `Configuration`.
///
/// Validation happens here, before anything is spawned, so that a bad invocation fails with a
/// message naming what is wrong instead of a bare `spawnFailed` from deep inside `posix_spawn`.
///
/// The configuration always asks for a new session (`setsid`, via `POSIX_SPAWN_SETSID`), so the
/// child leads its own process group and rbx can signal the whole group without ever reaching
/// its own (see swift-subprocess `Teardown.swift`). swift-subprocess also closes every descriptor
/// above 2 in the child (`posix_spawn_file_actions_addclosefrom_np`) and resets signal
/// dispositions and the signal mask, so nothing rbx has open or ignores leaks into a step.
struct PreparedCommand: Sendable {
    let invocation: CommandInvocation
    let configuration: Configuration
    /// The absolute path that will be executed.
    let executablePath: String
    /// `timeout` and `killGrace`, clamped to `0...longestWait`.
    let timeout: Duration
    let killGrace: Duration
    /// `outputLimit`, clamped to be non-negative.
    let outputLimit: Int

    /// Validates `invocation` and resolves its program.
    ///
    /// - Throws: ``CommandRunnerError`` `.invalidInvocation` for an empty argv, a NUL byte in an
    ///   argument or the environment, or a malformed environment key; `.programNotFound` or
    ///   `.permissionDenied` from ``ProgramLocator``; `.workingDirectoryUnavailable` when the
    ///   working directory is not a directory.
    init(_ invocation: CommandInvocation) throws(CommandRunnerError) {
        let program = invocation.program
        guard !program.isEmpty else {
            throw CommandRunnerError(
                code: .invalidInvocation, program: program, message: "argv is empty or argv[0] is empty")
        }
        for (index, argument) in invocation.argv.enumerated() where argument.utf8.contains(0) {
            throw CommandRunnerError(
                code: .invalidInvocation, program: program, message: "argv[\(index)] contains a NUL byte")
        }
        var given = invocation.environment
        if let mark = invocation.mark { given[StepContainment.variable] = mark }
        let environment = try Self.environmentEntries(given, program: program)
        if let directory = invocation.workingDirectory {
            try Self.checkDirectory(directory, program: program)
        }
        let path = try ProgramLocator.resolve(
            program, environment: invocation.environment, workingDirectory: invocation.workingDirectory)

        let killGrace = Self.clamp(invocation.killGrace)
        var options = PlatformOptions()
        options.createSession = true
        // Used by swift-subprocess only when the calling task is cancelled: the same
        // TERM-the-group, wait, KILL-the-group sequence rbx applies at a timeout. Group-wide is
        // safe here without ChildProcessGroup's check: with POSIX_SPAWN_SETSID a failed setsid
        // fails the spawn, and in swift-subprocess's fork fallback setsid runs in a fresh child,
        // where its only failure (EPERM: already a group leader) cannot happen.
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: killGrace)
        ]
        self.invocation = invocation
        self.executablePath = path
        self.timeout = Self.clamp(invocation.timeout)
        self.killGrace = killGrace
        self.outputLimit = max(invocation.outputLimit, 0)
        self.configuration = Configuration(
            executable: .path(FilePath(path)),
            // argv[0] is passed as written (like execvp), the rest verbatim, one element each.
            arguments: Arguments(executablePathOverride: program, remainingValues: Array(invocation.argv.dropFirst())),
            environment: .custom(environment),
            workingDirectory: invocation.workingDirectory.map { FilePath($0) },
            platformOptions: options)
    }

    /// The environment as swift-subprocess keys, after checking each entry can exist in `environ`.
    ///
    /// A key with `=`, a NUL byte, or a leading digit cannot be represented, and a value with a
    /// NUL byte would be cut short; they are refused by key name (the value is never printed: it
    /// may be a secret). swift-subprocess checks the same rules but only says `spawnFailed`.
    ///
    /// Not `Environment.custom([[UInt8]])`: in swift-subprocess 1.0.2 that path `strdup`s each
    /// entry without a terminating NUL, so the child read past its end (observed in this
    /// package's tests as `a b=c` arriving as `a b=cates.crt`).
    private static func environmentEntries(
        _ environment: [String: String], program: String
    ) throws(CommandRunnerError) -> [Environment.Key: String] {
        var entries: [Environment.Key: String] = [:]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            let keyBytes = Array(key.utf8)
            let startsWithDigit = keyBytes.first.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
            let invalidKey =
                keyBytes.isEmpty || keyBytes.contains(UInt8(ascii: "=")) || keyBytes.contains(0)
                || startsWithDigit
            guard !invalidKey, let environmentKey = Environment.Key(rawValue: key) else {
                throw CommandRunnerError(
                    code: .invalidInvocation, program: program,
                    message: "environment key '\(key)' is not a valid variable name")
            }
            guard !value.utf8.contains(0) else {
                throw CommandRunnerError(
                    code: .invalidInvocation, program: program,
                    message: "environment variable \(key) contains a NUL byte")
            }
            entries[environmentKey] = value
        }
        return entries
    }

    /// The longest timeout or grace honoured: a year. Longer values would only risk overflowing
    /// clock arithmetic; no runbook step means them.
    static let longestWait = Duration.seconds(365 * 24 * 3600)

    private static func clamp(_ duration: Duration) -> Duration {
        min(max(duration, .zero), longestWait)
    }

    private static func checkDirectory(_ directory: String, program: String) throws(CommandRunnerError) {
        var status = stat()
        guard stat(directory, &status) == 0 else {
            let code = errno
            throw CommandRunnerError(
                code: .workingDirectoryUnavailable, program: program,
                message: "working directory \(directory): \(SystemError.text(code))", errno: code)
        }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            throw CommandRunnerError(
                code: .workingDirectoryUnavailable, program: program,
                message: "working directory \(directory) is not a directory")
        }
    }
}
