import Synchronization
import Testing

@testable import RunbookServer

/// Who gives way when the server is full: the oldest connection waiting for a request, never
/// one in the middle of a request; a new connection is refused only when all are busy.
@Suite struct ConnectionBudgetTests {
    let limits = ConnectionLimits(
        maxConnections: 6, reserve: 2, headerTimeout: .seconds(10), bodyTimeout: .seconds(60),
        idleTimeout: .seconds(60))

    final class Closed: Sendable {
        let names = Mutex<[String]>([])
        func close(_ name: String) -> @Sendable () -> Void { { self.names.withLock { $0.append(name) } } }
        var all: [String] { names.withLock { $0 } }
    }

    @Test func theOldestWaitingConnectionGivesWayOnceTheSoftLimitIsReached() {
        let budget = ConnectionBudget(limits: limits)
        let closed = Closed()
        let start = ContinuousClock.now
        var ids: [Int] = []
        for index in 0..<4 {
            guard case .admitted(let id) = budget.admit(now: start + .seconds(index), close: closed.close("c\(index)"))
            else {
                Issue.record("refused below the soft limit")
                return
            }
            ids.append(id)
        }
        #expect(closed.all.isEmpty)
        // c0 is busy with a request: c1 is the oldest waiting one.
        budget.update(ids[0], waiting: false, now: start + .seconds(5))
        #expect(budget.admit(now: start + .seconds(6), close: closed.close("c4")) != .refused)
        #expect(closed.all == ["c1"])
        #expect(budget.count == 4)
        // c2 finished a request just now: c3 has waited longest.
        budget.update(ids[2], waiting: true, now: start + .seconds(7))
        #expect(budget.admit(now: start + .seconds(8), close: closed.close("c5")) != .refused)
        #expect(closed.all == ["c1", "c3"])
    }

    @Test func whenEveryConnectionIsBusyTheReserveIsUsedThenNewOnesAreRefused() {
        let budget = ConnectionBudget(limits: limits)
        let closed = Closed()
        let now = ContinuousClock.now
        for index in 0..<6 {
            let admission = budget.admit(now: now, close: closed.close("c\(index)"))
            guard case .admitted(let id) = admission else {
                Issue.record("connection \(index) refused")
                return
            }
            budget.update(id, waiting: false, now: now)
        }
        #expect(closed.all.isEmpty, "busy connections are never closed to make room")
        #expect(budget.admit(now: now, close: closed.close("c6")) == .refused)
    }

    @Test func theLimitStaysUnderTheDescriptorLimit() {
        let timeouts = (Duration.seconds(10), Duration.seconds(60), Duration.seconds(60))
        #expect(ConnectionLimits.forDescriptors(1024, configured: nil, timeouts: timeouts).maxConnections == 896)
        #expect(ConnectionLimits.forDescriptors(1024, configured: nil, timeouts: timeouts).reserve == 56)
        #expect(ConnectionLimits.forDescriptors(1 << 20, configured: nil, timeouts: timeouts).maxConnections == 4096)
        #expect(ConnectionLimits.forDescriptors(1 << 20, configured: 100, timeouts: timeouts).maxConnections == 100)
    }
}
