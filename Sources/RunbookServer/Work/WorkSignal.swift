import RunbookLifecycle

/// Wakes idle workers when there is new work, so an alert does not wait for a poll interval.
/// A signal given while no one waits is kept (up to `limit`) for the next to wait.
actor WorkSignal {
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var pending = 0
    private var nextID = 0
    private var closed = false
    private let limit: Int

    init(limit: Int) { self.limit = limit }

    func signal(_ count: Int = 1) {
        var left = count
        while left > 0, !waiters.isEmpty {
            waiters.removeFirst().continuation.resume()
            left -= 1
        }
        pending = min(limit, pending + left)
    }

    /// Returns when signalled, closed or cancelled, or after `timeout` (the worker then polls the
    /// store anyway: retries and expired claims fall due without a signal).
    func wait(timeout: Duration, clock: any ServerClock) async {
        await wait(until: clock.now.advanced(by: timeout), clock: clock)
    }

    /// Returns when signalled, closed or cancelled, or at `deadline`: at once if it has passed.
    /// A deadline, not a timeout, for a caller that computed when to wake from an earlier
    /// reading of the clock: time that passed since (a test's manual clock moved past it) is
    /// not waited again.
    func wait(until deadline: EpochInstant, clock: any ServerClock) async {
        if closed { return }
        if pending > 0 {
            pending -= 1
            return
        }
        let id = nextID
        nextID += 1
        let timer = Task {
            try? await clock.sleep(until: deadline, tolerance: nil)
            self.release(id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Checked here, on the actor: a cancellation after this finds the waiter listed.
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
        timer.cancel()
    }

    private func release(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume()
    }

    /// Releases every waiter, and every wait from now on returns at once: shutdown. A worker that
    /// looked at the shutdown flag just before it was raised must not then sleep out its timeout,
    /// which on a clock that does not move (a test's) would be forever.
    func close() {
        closed = true
        let all = waiters
        waiters.removeAll()
        for waiter in all { waiter.continuation.resume() }
    }
}
