import Dispatch

/// A task executor that a test can stop and start, to reproduce a machine so busy that a task
/// whose wait is over still gets no thread to run on.
///
/// Jobs run one at a time on a serial dispatch queue; ``hold()`` suspends the queue (a job
/// already running finishes), ``release()`` lets every queued job run in the order it came.
/// Child tasks inherit a task executor preference, so everything a call makes below
/// `withTaskExecutorPreference(executor)` is held with it.
final class HeldExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "rbx.test.held-executor")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Queued jobs wait from now until ``release()``.
    func hold() { queue.suspend() }

    /// Runs what queued up, and goes on running jobs as they come.
    func release() { queue.resume() }
}
