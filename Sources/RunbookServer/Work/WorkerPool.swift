import Logging
import RunbookCore
import RunbookStore
import ServiceLifecycle

/// A bounded pool of workers taking alerts from the store, one run each at a time.
///
/// On graceful shutdown the workers stop claiming; runs in progress get `shutdownGrace` to
/// finish, then are cancelled. A cancelled run's alert keeps its claim in the store and is
/// resumed after restart (or by another replica once the claim expires).
struct WorkerPool: Service {
    var dependencies: ServerDependencies
    private var shutdownGrace: Duration { dependencies.settings.shutdownGrace }

    func run() async throws {
        let flag = dependencies.shutdown
        let processor = RunProcessor(dependencies: dependencies, raiser: IntakeAlertRaiser(dependencies: dependencies))
        await withGracefulShutdownHandler {
            // Workers report true when they stop; the grace timer reports false when it runs out.
            await withTaskGroup(of: Bool.self) { group in
                let workers = dependencies.settings.workers
                for index in 0..<workers {
                    group.addTask {
                        await work(index, processor: processor, flag: flag)
                        return true
                    }
                }
                group.addTask {
                    while !flag.isRaised && !Task.isCancelled { try? await Task.sleep(for: .milliseconds(200)) }
                    try? await Task.sleep(for: shutdownGrace)
                    return false
                }
                var running = workers
                for await isWorker in group {
                    if isWorker { running -= 1 }
                    if running == 0 || !isWorker {
                        group.cancelAll()
                        if running == 0 { break }
                    }
                }
            }
        } onGracefulShutdown: {
            flag.raise()
            Task { await dependencies.signal.close() }
        }
        // The workers stop when SIGTERM arrives (the flag), before the service group reaches
        // this service; returning earlier would count as finishing unexpectedly.
        try? await gracefulShutdown()
    }

    private func work(_ index: Int, processor: RunProcessor, flag: ShutdownFlag) async {
        let store = dependencies.store
        while !flag.isRaised && !Task.isCancelled {
            do {
                let claimed = try await store.claimAlert(
                    worker: dependencies.workerID, now: dependencies.clock.milliseconds,
                    lockFor: dependencies.settings.claimLock)
                if let claimed {
                    try await processor.process(claimed)
                    continue
                }
            } catch let lost as ClaimLost {
                // Another worker owns the alert now; it resumes from what the store recorded.
                dependencies.metrics.claimLost()
                dependencies.logger.warning(
                    "claim taken over by another worker; this worker let the alert go",
                    metadata: ["alert.id": .stringConvertible(lost.claim.alertID), "error": .string(lost.description)])
                continue
            } catch {
                dependencies.logger.error(
                    "a worker could not take or finish an alert; it tries again in a second",
                    metadata: ["worker": .stringConvertible(index), "error": .string("\(error)")])
                try? await dependencies.clock.sleep(for: .seconds(1))
            }
            await dependencies.signal.wait(timeout: .seconds(1), clock: dependencies.clock)
        }
    }
}
