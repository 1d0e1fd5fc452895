import Synchronization
import Testing

@testable import RunbookServer

/// The signal workers and the timer scheduler sleep on, on a clock that never moves by itself:
/// each wait below can end only by what the test does, never by its timeout.
@Suite(.timeLimit(.minutes(1))) struct WorkSignalTests {
    @Test func closingReleasesTheWaitersAndEveryLaterWaitReturnsAtOnce() async {
        let signal = WorkSignal(limit: 4)
        let clock = ManualServerClock()
        async let waiting: Void = signal.wait(timeout: .seconds(60), clock: clock)
        // The waiter is listed before the close, or it waits after it: both must return.
        await signal.close()
        await waiting
        // A worker that read the shutdown flag just before it was raised waits after the close.
        await signal.wait(timeout: .seconds(60), clock: clock)
    }

    @Test func aCancelledWaitReturnsWithoutItsTimeout() async {
        let signal = WorkSignal(limit: 4)
        let clock = ManualServerClock()
        let waiter = Task { await signal.wait(timeout: .seconds(60), clock: clock) }
        waiter.cancel()
        await waiter.value
        let late = Task {
            try? await Task.sleep(for: .milliseconds(20))
            await signal.wait(timeout: .seconds(60), clock: clock)
        }
        late.cancel()
        await late.value
    }

    @Test func onlyLimitSignalsGivenWhileNobodyWaitsAreKept() async {
        let signal = WorkSignal(limit: 1)
        let clock = ManualServerClock()
        await signal.signal(3)
        await signal.wait(timeout: .seconds(60), clock: clock)
        let returned = Mutex(false)
        async let second: Void = {
            await signal.wait(timeout: .seconds(60), clock: clock)
            returned.withLock { $0 = true }
        }()
        try? await Task.sleep(for: .milliseconds(50))
        #expect(!returned.withLock { $0 }, "a second kept signal released the wait")
        await signal.close()
        await second
        #expect(returned.withLock { $0 })
    }
}
