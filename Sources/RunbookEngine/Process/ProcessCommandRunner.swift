import Subprocess
import Synchronization

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

/// Runs commands as real child processes, through swift-subprocess.
///
/// What it guarantees (DESIGN.md "Execution" and "Guarantees"), each covered by a test that
/// spawns real processes:
/// - `argv` reaches the program element by element, verbatim; no shell is involved.
/// - The child's environment is exactly ``CommandInvocation/environment``, and it inherits no
///   descriptor but 0, 1 and 2 (stdin is `/dev/null` or the given bytes).
/// - The child leads a new session and process group. At the timeout the whole group gets
///   `SIGTERM`, and `SIGKILL` after ``CommandInvocation/killGrace``; when the child exits, what
///   is left of its group is killed. rbx's own group is never signalled.
/// - Both streams are drained concurrently to the end, keeping ``CommandInvocation/outputLimit``
///   bytes each, so a chatty child never blocks on a full pipe and never fails the run.
/// - A non-zero exit, a signal and a timeout are results; only failing to start throws.
///
/// swift-subprocess does the operating-system work: spawning (`posix_spawn` with
/// `POSIX_SPAWN_SETSID`, close-from-3, signal reset, `fchdir`), streaming both pipes, watching
/// for exit (pidfd), signalling the group, the `SIGTERM`-then-`SIGKILL` teardown, and reaping.
/// rbx adds what it lacks or gets wrong for this job, each explained where it lives:
/// `argv[0]` lookup in the child's own `PATH` (``ProgramLocator``), capped-but-drained output
/// (``CappedOutput``), standard input without `SIGPIPE` (``StandardInputFile``), the timeout
/// and straggler clean-up (``ProcessSupervisor``), and a non-reaping exit check
/// (``ChildProcessGroup``).
///
/// ```swift
/// let runner = ProcessCommandRunner()
/// let result = try await runner.run(CommandInvocation(
///     argv: ["/usr/bin/docker", "ps", "-a"], environment: ["PATH": "/usr/bin"],
///     timeout: .seconds(30)))
/// if !result.succeeded { print(result.termination, result.timedOut) }
/// ```
public struct ProcessCommandRunner: CommandRunner {
    /// Creates a runner; it holds no state, so one value can serve every run.
    public init() {}

    /// Spawns the invocation's program and waits for it to end.
    ///
    /// - Throws: ``CommandRunnerError`` when the invocation is invalid, the program or working
    ///   directory cannot be found, the spawn fails, supervision of the child's I/O fails (the
    ///   child is killed first), or the task is cancelled before the child ends (the group is
    ///   torn down first).
    public func run(_ invocation: CommandInvocation) async throws(CommandRunnerError) -> CommandResult {
        let prepared = try PreparedCommand(invocation)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start.advanced(by: prepared.timeout)
        let status: TerminationStatus
        let run: SupervisedRun
        do {
            if let bytes = invocation.standardInput {
                let input = try StandardInputFile(bytes, program: invocation.program)
                defer { input.close() }
                (status, run) = try await Self.spawn(
                    prepared, input: .fileDescriptor(input.descriptor, closeAfterSpawningProcess: false),
                    deadline: deadline)
            } else {
                (status, run) = try await Self.spawn(prepared, input: .none, deadline: deadline)
            }
        } catch let error as CommandRunnerError {
            throw error
        } catch let error as SubprocessError {
            throw Self.translate(error, program: invocation.program, path: prepared.executablePath)
        } catch is CancellationError {
            throw CommandRunnerError(
                code: .cancelled, program: invocation.program, message: "cancelled before the command ended")
        } catch {
            throw CommandRunnerError(code: .supervisionFailed, program: invocation.program, message: "\(error)")
        }
        let duration = start.duration(to: clock.now)
        if run.interrupted {
            throw CommandRunnerError(
                code: .cancelled, program: invocation.program,
                message: "cancelled before the command ended; its process group was terminated")
        }
        if let failure = run.readFailure {
            throw CommandRunnerError(
                code: .supervisionFailed, program: invocation.program,
                message: "reading the command's output failed (\(failure)); the command was killed",
                errno: (failure as? SubprocessError)?.underlyingError?.rawValue)
        }
        return CommandResult(
            termination: Self.termination(status),
            timedOut: run.timedOut,
            stdout: run.stdout.kept, stderr: run.stderr.kept,
            stdoutTruncated: run.stdout.truncated, stderrTruncated: run.stderr.truncated,
            stdoutBytes: run.stdout.total, stderrBytes: run.stderr.total,
            duration: duration)
    }

    /// Spawns through swift-subprocess with both streams as sequences and supervises the child.
    /// Once the child is reaped, ``StepContainment`` clears out what it left behind, whether it
    /// ended, timed out, failed to start or was cancelled.
    private static func spawn<Input: InputProtocol>(
        _ prepared: PreparedCommand, input: Input, deadline: ContinuousClock.Instant
    ) async throws -> (TerminationStatus, SupervisedRun) {
        let containment = StepContainment.process
        let mark = prepared.invocation.mark
        let pid = Mutex<pid_t?>(nil)
        containment.willSpawn(mark: mark)
        let ended: Result<(TerminationStatus, SupervisedRun), any Error>
        do {
            let outcome = try await Subprocess.run(
                prepared.configuration, input: input, output: .sequence, error: .sequence
            ) { execution in
                pid.withLock { $0 = execution.processIdentifier.value }
                containment.spawned(execution.processIdentifier.value)
                return await ProcessSupervisor.supervise(
                    execution, deadline: deadline, killGrace: prepared.killGrace, outputLimit: prepared.outputLimit)
            }
            ended = .success((outcome.terminationStatus, outcome.closureResult))
        } catch {
            ended = .failure(error)
        }
        await containment.ended(mark: mark, pid: pid.withLock { $0 })
        return try ended.get()
    }

    private static func termination(_ status: TerminationStatus) -> CommandResult.Termination {
        switch status {
        case .exited(let code): return .exited(code)
        case .signaled(let signal): return .signaled(signal)
        }
    }

    /// Maps a swift-subprocess error to rbx's codes, naming the program and the OS error.
    static func translate(_ error: SubprocessError, program: String, path: String) -> CommandRunnerError {
        let code = error.underlyingError?.rawValue
        let reason = code.map(SystemError.text) ?? "\(error)"
        switch error.code {
        case .executableNotFound:
            return CommandRunnerError(code: .programNotFound, program: program, message: "not found", errno: code)
        case .failedToChangeWorkingDirectory:
            return CommandRunnerError(
                code: .workingDirectoryUnavailable, program: program,
                message: "cannot enter the working directory: \(reason)", errno: code)
        case .spawnFailed where code == ENOENT:
            return CommandRunnerError(
                code: .programNotFound, program: program, message: "\(path): \(reason)", errno: code)
        case .spawnFailed where code == EACCES || code == EPERM:
            return CommandRunnerError(
                code: .permissionDenied, program: program, message: "\(path): \(reason)", errno: code)
        case .spawnFailed:
            return CommandRunnerError(
                code: .spawnFailed, program: program, message: "\(path): \(reason)", errno: code)
        default:
            return CommandRunnerError(
                code: .supervisionFailed, program: program, message: "\(error)", errno: code)
        }
    }
}
