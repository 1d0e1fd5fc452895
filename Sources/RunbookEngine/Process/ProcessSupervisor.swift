import Subprocess
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the supervisor observed while the child ran.
struct SupervisedRun: Sendable {
    var stdout = CappedOutput()
    var stderr = CappedOutput()
    /// Whether the watchdog signalled the group because the timeout passed.
    var timedOut = false
    /// Whether the calling task was cancelled before the child exited.
    var interrupted = false
    /// The first failure reading a stream, if any.
    var readFailure: (any Error)?
}

/// Watches one child from spawn to exit: drains both streams concurrently, enforces the
/// timeout on the whole process group, and clears out the group once the child has exited.
///
/// This runs as the body of swift-subprocess's `run(_:input:output:error:body:)`, i.e. while the
/// child is alive or a not-yet-reaped zombie, which is what makes group signals safe (see
/// ``ChildProcessGroup``).
///
/// At the deadline a watchdog task runs swift-subprocess's teardown on the group (`SIGTERM`,
/// then `SIGKILL` after `killGrace` unless the child has exited). The platform options'
/// `teardownSequence` alone would not do: swift-subprocess applies it only when the calling
/// task is cancelled or the body throws, and either way the output read so far would be lost.
/// Calling `Execution.teardown(using:)` from inside the body keeps the body running, so the
/// result still carries the output and the real termination status.
///
/// After the child exits (normally or not), any process still in its group (a backgrounded
/// `sleep`, a daemon that did not `setsid`) gets `SIGKILL`: a runbook step must not leave work
/// running behind the evidence that says it finished. A grandchild that starts its own session
/// escapes the group and is out of reach; containing that needs cgroups, which is the service
/// manager's job.
///
/// The streams end when the child exits even if a grandchild still holds them: swift-subprocess
/// then drains what is buffered and stops at the first empty read. A grandchild that could write
/// faster than rbx reads would keep them open until the watchdog fires; in practice the reader
/// wins (a `cat /dev/zero` grandchild is cut off in milliseconds, see the tests).
enum ProcessSupervisor {
    static func supervise<Input: InputProtocol>(
        _ execution: Execution<Input, SequenceOutput, SequenceOutput>,
        deadline: ContinuousClock.Instant,
        killGrace: Duration,
        outputLimit: Int
    ) async -> SupervisedRun {
        let child = ChildProcessGroup(execution)
        let done = SupervisionDone()
        return await withTaskGroup(of: WatchdogVerdict.self) { tasks in
            tasks.addTask {
                await watchdog(child, deadline: deadline, killGrace: killGrace, done: done)
            }
            var run = SupervisedRun()
            async let stdout = CappedOutput.read(execution.standardOutput, limit: outputLimit)
            async let stderr = CappedOutput.read(execution.standardError, limit: outputLimit)
            do {
                run.stdout = try await stdout
            } catch {
                run.readFailure = error
            }
            do {
                run.stderr = try await stderr
            } catch {
                run.readFailure = run.readFailure ?? error
            }
            if run.readFailure != nil {
                // Without a reader the child could block on a full pipe forever; end it now.
                child.signal(SIGKILL)
            }
            let exited = await child.waitForExit()
            done.set()
            tasks.cancelAll()
            let verdict = await tasks.next() ?? .idle
            run.timedOut = verdict == .fired
            if exited {
                child.signal(SIGKILL)  // stragglers still in the group; see the type's doc
            } else {
                // Cancelled: swift-subprocess runs the teardown sequence once the body returns.
                run.interrupted = true
            }
            return run
        }
    }

    private enum WatchdogVerdict: Sendable {
        /// The child ended before the deadline.
        case idle
        /// The deadline passed and the group was torn down.
        case fired
        /// The run was cancelled (shutdown past its grace) and the group was torn down.
        case cancelled
    }

    /// Sleeps until the deadline, then tears the group down. Cancelled because the child
    /// exited first, it does nothing; cancelled because the run was (shutdown past its grace),
    /// it tears the group down at once: a read blocked on the child's pipe does not notice
    /// cancellation, and the step would otherwise run to its end after rbx said it stopped.
    ///
    /// A child found already exited when the deadline wakes the watchdog is not a timeout: on a
    /// busy machine the tasks that collect its output and exit can run after the deadline even
    /// though the process ended well before it, and calling that "timed out" would fail a step
    /// that succeeded. A timeout exists to stop a command that will not end; this one has.
    private static func watchdog<Input: InputProtocol>(
        _ child: ChildProcessGroup<Input>,
        deadline: ContinuousClock.Instant,
        killGrace: Duration,
        done: SupervisionDone
    ) async -> WatchdogVerdict {
        do {
            try await Task.sleep(until: deadline, clock: .continuous)
        } catch {
            if done.isSet { return .idle }
            await child.terminate(grace: killGrace)
            return .cancelled
        }
        if child.hasExited() { return .idle }
        await child.terminate(grace: killGrace)
        return .fired
    }
}

/// Set by the supervisor once the child has exited (or its wait was cancelled), so the
/// watchdog can tell "no longer needed" from "the run was cancelled".
private final class SupervisionDone: Sendable {
    private let flag = Mutex(false)

    func set() { flag.withLock { $0 = true } }
    var isSet: Bool { flag.withLock { $0 } }
}
