#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Named points where `rbx serve` can be made to die as `kill -9` would, to prove what a crash
/// there leaves behind: `RBX_DEBUG_FAULT=after-step-exit` (several, comma-separated). A debug
/// facility for tests and for reproducing an incident; docs/operations.md lists the points.
/// Unset, every point is a no-op.
public struct FaultPoints: Sendable {
    public enum Point: String, CaseIterable, Sendable {
        /// An alert was claimed; no run started yet.
        case afterClaim = "after-claim"
        /// A step's process exited; its result is not recorded.
        case afterStepExit = "after-step-exit"
        /// A timer's page was delivered; the timer is not marked fired.
        case afterPage = "after-page"
        /// A run's end and its alert's settlement were committed.
        case afterRunFinished = "after-run-finished"
    }

    /// The environment variable that arms points.
    public static let variable = "RBX_DEBUG_FAULT"

    let armed: Set<Point>

    public init(environment: [String: String]) {
        let names = (environment[Self.variable] ?? "").split(separator: ",").map {
            String($0.filter { !$0.isWhitespace })
        }
        armed = Set(names.compactMap(Point.init(rawValue:)))
    }

    public static let none = FaultPoints(armed: [])

    private init(armed: Set<Point>) { self.armed = armed }

    /// Kills this process with SIGKILL when `point` is armed: no cleanup, no flush, exactly
    /// what a crash leaves.
    func reach(_ point: Point) {
        guard armed.contains(point) else { return }
        let line = "rbx: \(Self.variable): reached \(point.rawValue); killing this process\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
        kill(getpid(), SIGKILL)
    }
}
