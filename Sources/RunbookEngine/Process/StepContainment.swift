internal import CProcessControl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Keeps every process a step starts from outliving the step.
///
/// Killing the step's process group is not enough: a program that calls `setsid` or
/// double-forks (a daemon, `nohup … &` under `setsid`) leaves the group and, orphaned, is
/// adopted by init, where rbx never sees it again. So:
///
/// - Every process of a step carries a mark, ``variable`` = `RUN/STEP` in its environment,
///   which its descendants inherit.
/// - With ``adoptOrphans()`` (Linux `PR_SET_CHILD_SUBREAPER`, set by the `rbx` commands that
///   execute steps), an orphaned descendant is reparented to rbx instead of init, so after each
///   step rbx reads only its own children to find what a finished step left behind, kills it
///   with its descendants, and reaps it. Without it (a library user), the sweep scans `/proc`
///   for the finished step's mark.
/// - After a crash, the store says which step was running; a restarted rbx kills every process
///   carrying that run's mark (``killLeftovers(ofRun:within:)``) before it decides what to do
///   with the step.
///
/// A descendant that replaces its whole environment (`env -i`) loses the mark; one that runs
/// after the step's end under another user is beyond rbx's signals. A cgroup per step would
/// close both; see docs/decisions/0009-step-containment.md for why it is not used.
///
/// This is one value per process because what it mirrors is per process: the kernel's list of
/// this process's children, and the subreaper flag.
public final class StepContainment: Sendable {
    /// The environment variable that marks a step's processes.
    public static let variable = "RBX_STEP"
    /// The containment of this process.
    public static let process = StepContainment()

    private struct State {
        var adopting = false
        /// Spawns begun whose pid is not known yet; adopted zombies are not reaped meanwhile,
        /// since one could be such a child that already exited.
        var spawning = 0
        /// Children spawned by the runner and not yet reaped by swift-subprocess.
        var spawned: Set<pid_t> = []
        /// Marks of the steps whose command is running, with how many commands each.
        var running: [String: Int] = [:]
    }

    private let state = Mutex(State())

    private init() {}

    /// Makes this process the reaper of its orphaned descendants, so a step's escaped processes
    /// stay in reach. Safe to call more than once.
    ///
    /// - Returns: whether the kernel accepted it.
    @discardableResult
    public func adoptOrphans() -> Bool {
        let accepted = rbx_become_child_subreaper() == 0
        state.withLock { $0.adopting = $0.adopting || accepted }
        return accepted
    }

    /// Whether orphans are adopted (``adoptOrphans()`` succeeded).
    public var adoptsOrphans: Bool { state.withLock { $0.adopting } }

    func willSpawn(mark: String?) {
        state.withLock { state in
            state.spawning += 1
            if let mark { state.running[mark, default: 0] += 1 }
        }
    }

    func spawned(_ pid: pid_t) {
        state.withLock { state in
            state.spawning -= 1
            state.spawned.insert(pid)
        }
    }

    /// The command has ended and been reaped (or never started): from now on, whatever still
    /// carries its mark is a leftover, unless another command of the same step is running.
    func ended(mark: String?, pid: pid_t?) async {
        let (stillRunning, adopting) = state.withLock { state in
            if let pid { state.spawned.remove(pid) } else { state.spawning -= 1 }
            guard let mark else { return (false, state.adopting) }
            state.running[mark, default: 1] -= 1
            if state.running[mark] == 0 { state.running[mark] = nil }
            return (state.running[mark] != nil, state.adopting)
        }
        guard let mark, !stillRunning else { return }
        if adopting {
            await sweepAdopted()
        } else {
            await kill(where: { $0 == mark }, within: .milliseconds(500))
        }
    }

    /// Kills every process left by a run that a previous rbx process was executing.
    ///
    /// - Returns: how many processes carried the run's mark.
    public func killLeftovers(ofRun runID: String, within limit: Duration) async -> Int {
        await kill(where: { $0.hasPrefix(runID + "/") }, within: limit)
    }

    /// Kills the adopted children whose step is over (with their descendants) and reaps the
    /// adopted children that have exited, until a pass finds nothing left to do.
    private func sweepAdopted() async {
        let me = getpid()
        for _ in 0..<100 {
            let (spawned, running, spawning) = state.withLock { ($0.spawned, $0.running, $0.spawning) }
            var acted = false
            for child in ProcessTable.children(of: me, leaderOnly: true) where !spawned.contains(child) {
                switch ProcessTable.isZombie(child) {
                case true?:
                    if spawning == 0, waitpid(child, nil, WNOHANG) == child { acted = true }
                case false?:
                    guard let mark = ProcessTable.environmentValue(of: child, named: Self.variable),
                        running[mark] == nil
                    else { continue }
                    Self.killTree(child)
                    acted = true
                case nil:
                    continue
                }
            }
            guard acted else { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    /// Scans `/proc` for processes whose mark satisfies `matches` and kills them, until none is
    /// left alive or `limit` passes. Returns how many were found.
    private func kill(where matches: (String) -> Bool, within limit: Duration) async -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var found = Set<pid_t>()
        while true {
            var alive = false
            for pid in ProcessTable.allProcesses() where ProcessTable.isZombie(pid) == false {
                guard let mark = ProcessTable.environmentValue(of: pid, named: Self.variable), matches(mark) else {
                    continue
                }
                found.insert(pid)
                alive = true
                Self.killTree(pid)
            }
            if !alive || clock.now >= deadline { return found.count }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops the process and everything below it, then kills them all: stopped first, so none
    /// can fork a new child between the listing and the kill.
    private static func killTree(_ pid: pid_t) {
        Glibc.kill(pid, SIGSTOP)
        let below = ProcessTable.descendants(of: pid)
        for child in below { Glibc.kill(child, SIGSTOP) }
        Glibc.kill(pid, SIGKILL)
        for child in below { Glibc.kill(child, SIGKILL) }
    }
}
