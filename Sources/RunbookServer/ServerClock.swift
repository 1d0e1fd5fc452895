#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time for the store (epoch milliseconds) and the server's waits, injected so
/// tests can control it.
public protocol ServerClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func now() -> Int64
    func sleep(for duration: Duration) async throws
}

/// The real clock: `CLOCK_REALTIME` for timestamps, `Task.sleep` for waits.
public struct SystemServerClock: ServerClock {
    public init() {}

    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}
