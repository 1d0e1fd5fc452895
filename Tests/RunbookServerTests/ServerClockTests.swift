import Synchronization
import Testing

@testable import RunbookServer

/// The server's clock over a wall clock a test sets: leases and due times follow the monotonic
/// clock whatever the wall clock does, and the jump is reported.
@Suite struct ServerClockTests {
    final class Readings: Sendable {
        let wall = Atomic<Int64>(1_800_000_000_000)
        let ticks = Atomic<Int64>(5_000)

        func advance(_ milliseconds: Int64) {
            wall.add(milliseconds, ordering: .relaxed)
            ticks.add(milliseconds, ordering: .relaxed)
        }
    }

    @Test(arguments: [Int64(3_600_000), -3_600_000])
    func aJumpOfTheWallClockMovesNothingButTheReportedDrift(_ jump: Int64) {
        let readings = Readings()
        let clock = SystemServerClock(
            wall: { readings.wall.load(ordering: .relaxed) }, ticks: { readings.ticks.load(ordering: .relaxed) })
        let start = clock.milliseconds
        #expect(start == 1_800_000_000_000)
        readings.advance(2_000)
        readings.wall.add(jump, ordering: .relaxed)
        readings.advance(1_000)
        // A rung due 3 s after the start is due now, as if the wall clock had never moved.
        #expect(clock.milliseconds == start + 3_000)
        #expect(clock.wallClockDrift() == jump)
    }
}
