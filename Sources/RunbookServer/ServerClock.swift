import Foundation
public import RunbookLifecycle

/// The server's time (epoch milliseconds) for the store and its waits, injected so tests can
/// control it. A `Clock` like the engine's, so stored runs' lifecycles take its instants.
public protocol ServerClock: Clock, Sendable where Instant == EpochInstant, Duration == Swift.Duration {
    /// How far the wall clock has moved from ``now()`` since the clock started, in
    /// milliseconds: non-zero after the wall clock was set (NTP step, an operator, a VM
    /// restored from a snapshot). Only for reporting.
    func wallClockDrift() -> Int64
}

extension ServerClock {
    public func wallClockDrift() -> Int64 { 0 }

    /// Milliseconds since the Unix epoch.
    public var milliseconds: Int64 { now.milliseconds }

    public func sleep(for duration: Duration) async throws {
        try await sleep(until: now.advanced(by: duration), tolerance: nil)
    }
}

/// The real clock: the wall-clock time at start, advanced by a monotonic clock.
///
/// Claims, leases and due times are compared on it, so a wall clock set forward does not make
/// this process think its own lease expired (and take its own live run over), and one set back
/// does not hold the next page back by as much. Times people read are off by any jump until
/// the next start; ``wallClockDrift()`` reports it (logged and exported by the server).
/// `CLOCK_BOOTTIME` keeps counting while the machine is suspended, as leases must.
public struct SystemServerClock: ServerClock {
    private let wall: @Sendable () -> Int64
    private let ticks: @Sendable () -> Int64
    private let wallAtStart: Int64
    private let ticksAtStart: Int64

    /// The wall clock, and Swift's continuous clock (CLOCK_BOOTTIME on Linux: it keeps counting
    /// while the machine sleeps, and nobody sets it).
    public init() {
        let origin = ContinuousClock.now
        self.init(
            wall: { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) },
            ticks: {
                let elapsed = origin.duration(to: .now).components
                return elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
            })
    }

    /// A clock over given readings of the wall clock and a monotonic one (milliseconds), for tests.
    init(wall: @escaping @Sendable () -> Int64, ticks: @escaping @Sendable () -> Int64) {
        self.wall = wall
        self.ticks = ticks
        wallAtStart = wall()
        ticksAtStart = ticks()
    }

    public var now: EpochInstant {
        EpochInstant(milliseconds: wallAtStart + ticks() - ticksAtStart)
    }

    public var minimumResolution: Duration { .milliseconds(1) }

    public func sleep(until deadline: EpochInstant, tolerance: Duration? = nil) async throws {
        let pause = now.duration(to: deadline)
        if pause > .zero { try await Task.sleep(for: pause) } else { try Task.checkCancellation() }
    }

    public func wallClockDrift() -> Int64 {
        wall() - now.milliseconds
    }

}
