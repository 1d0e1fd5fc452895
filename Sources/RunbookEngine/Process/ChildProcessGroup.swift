import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The running child and the process group it leads, for signalling and exit checks.
///
/// Signals go through swift-subprocess (`Execution.teardown(using:)` and
/// `Execution.send(signal:toProcessGroup:)`, which is `kill(-pid, …)` for a group). Sending to
/// a group is only safe when the child really leads its own group; otherwise `-pid` could name
/// rbx's group (the warning in swift-subprocess's `Teardown.swift`). The runner always spawns
/// with `createSession`, and this type re-checks `getpgid(child) == child` once, before the
/// first signal, falling back to signalling the child alone if that ever fails.
///
/// Every method must be called while the child is not yet reaped. swift-subprocess reaps only
/// after the `run` body returns, and the body waits for all tasks using this value, so the pid
/// and the group id cannot be recycled underneath a signal.
struct ChildProcessGroup<Input: InputProtocol>: Sendable {
    let execution: Execution<Input, SequenceOutput, SequenceOutput>
    /// Whether the child leads its own process group (checked at creation).
    let leadsOwnGroup: Bool

    init(_ execution: Execution<Input, SequenceOutput, SequenceOutput>) {
        self.execution = execution
        let pid = execution.processIdentifier.value
        self.leadsOwnGroup = pid > 0 && getpgid(pid) == pid && getpgrp() != pid
    }

    var pid: pid_t { execution.processIdentifier.value }

    /// Sends `signal` to every process in the child's group (or the child alone, see above).
    /// Failures are ignored: the only expected one is `ESRCH`, an already empty group.
    func signal(_ signal: Int32) {
        try? execution.send(signal: Signal(rawValue: signal), toProcessGroup: leadsOwnGroup)
    }

    /// Runs swift-subprocess's teardown on the group: `SIGTERM`, up to `grace` for the child to
    /// exit, then `SIGKILL` (the final kill inherits the group flag from the step before it).
    /// Returns once the child has exited; it cannot be cancelled half-way.
    func terminate(grace: Duration) async {
        await execution.teardown(using: [
            .gracefulShutDown(toProcessGroup: leadsOwnGroup, allowedDurationToNextStep: grace)
        ])
    }

    /// Whether the child has exited, without reaping it (`waitid` with `WNOWAIT`), so
    /// swift-subprocess can still collect its status.
    func hasExited() -> Bool {
        var info = siginfo_t()
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == -1 {
            // ECHILD or anything else: nothing to wait for any more.
            guard errno == EINTR else { return true }
        }
        return Self.reportedPID(info) != 0
    }

    /// Waits until the child has exited, polling `hasExited()`.
    ///
    /// Output streams normally end exactly when the child exits, so the first check usually
    /// succeeds; polling (1 ms, doubling to 25 ms) covers a child that closed its stdout and
    /// stderr but keeps running, until it exits or the watchdog kills it. swift-subprocess's
    /// own exit monitor is internal, hence the poll.
    ///
    /// - Returns: `true` once the child has exited, `false` if the task was cancelled first.
    func waitForExit() async -> Bool {
        var pause = Duration.milliseconds(1)
        while !hasExited() {
            do {
                try await Task.sleep(for: pause)
            } catch {
                return false
            }
            pause = min(pause * 2, .milliseconds(25))
        }
        return true
    }

    private static func reportedPID(_ info: siginfo_t) -> pid_t {
        #if canImport(Glibc)
            return info._sifields._sigchld.si_pid
        #elseif canImport(Musl)
            return info.__si_fields.__si_common.__first.__piduid.si_pid
        #else
            return info.si_pid
        #endif
    }
}
