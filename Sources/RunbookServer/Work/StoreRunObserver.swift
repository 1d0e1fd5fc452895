import Logging
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import Synchronization

/// Persists a run's progress as it happens: the step about to run, each result, the timeline,
/// every write fenced by the worker's claim.
///
/// A write the store fails is retried briefly (a PostgreSQL fail-over, a busy file); one that
/// still fails stops the run, because a step whose start is not recorded must not start: after
/// a crash nobody would know it may have acted. A write refused with ``ClaimLost`` stops the
/// run at once: another worker owns it now.
struct StoreRunObserver: RunObserver {
    var runID: String
    var runbook: String
    var claim: Claim
    var hold: ClaimHold
    var dependencies: ServerDependencies

    /// Pauses between attempts of a failed write; the write is tried once more than this has entries.
    static let retryDelays: [Duration] = [.milliseconds(200), .seconds(1), .seconds(3)]

    func stepStarted(_ stepID: String) async throws {
        try await write("record the start of a step", step: stepID) {
            try await dependencies.store.stepStarted(
                runID: runID, stepID: stepID, claim: claim, now: dependencies.clock.milliseconds)
        }
    }

    func stepFinished(_ result: StepResult) async throws {
        // A step cut short by shutdown is not a result: left "started", it is resumed (or
        // marked interrupted) at the next start, as after a crash.
        if Task.isCancelled { return }
        dependencies.faults.reach(.afterStepExit)
        dependencies.metrics.stepFinished(runbook: runbook, status: result.status.rawValue, duration: result.duration)
        try await write("record the result of a step", step: result.id) {
            try await dependencies.store.stepFinished(
                runID: runID, result: result, claim: claim, now: dependencies.clock.milliseconds)
        }
    }

    func recorded(_ events: [TimelineEvent]) async throws {
        try await write("record the timeline", step: nil) {
            try await dependencies.store.appendTimeline(runID: runID, events: events, claim: claim)
        }
    }

    func approvalWaiting(_ step: String?) async throws {
        try await write("record the approval step the run waits on", step: step) {
            try await dependencies.store.approvalWaiting(runID: runID, step: step, claim: claim)
        }
    }

    func escalationBroughtForward(rung: Int) async throws {
        let moved = try await dependencies.store.bringForward(
            .escalation(rung: rung, repetition: 0), ofRun: runID, to: dependencies.clock.milliseconds)
        guard moved else { return }
        dependencies.logger.warning(
            "a budget is exhausted; the next rung is paged now",
            metadata: ["run.id": .string(runID), "runbook": .string(runbook), "rung": .stringConvertible(rung + 1)])
        await dependencies.timerSignal.signal()
    }

    private func write(_ action: String, step: String?, _ body: () async throws -> Void) async throws {
        var metadata: Logger.Metadata = [
            "run.id": .string(runID), "runbook": .string(runbook), "action": .string(action),
        ]
        if let step { metadata["step.id"] = .string(step) }
        var delays = Self.retryDelays[...]
        while true {
            do {
                return try await body()
            } catch let lost as ClaimLost {
                hold.markLost()
                metadata["claim"] = .string(lost.claim.description)
                // The run's worker logs the stop once, whichever write noticed it first.
                dependencies.logger.debug("a write was refused: the claim was taken over", metadata: metadata)
                throw lost
            } catch let cancelled as CancellationError {
                // Shutdown cut the run off: what is not recorded is resumed at the next start.
                throw cancelled
            } catch {
                // Shutdown cut it off, however the store wrapped the cancellation.
                if Task.isCancelled { throw CancellationError() }
                metadata["error"] = .string("\(error)")
                guard let delay = delays.popFirst(), !Task.isCancelled else {
                    dependencies.logger.error("could not record a run's progress; the run stops", metadata: metadata)
                    throw error
                }
                dependencies.logger.warning("could not record a run's progress; trying again", metadata: metadata)
                try await dependencies.clock.sleep(for: delay)
            }
        }
    }
}

/// Whether a worker still holds the claim its run executes under; shared by the run's observer
/// and the task renewing the claim.
final class ClaimHold: Sendable {
    private let lost = Atomic<Bool>(false)

    var isLost: Bool { lost.load(ordering: .acquiring) }

    func markLost() { lost.store(true, ordering: .releasing) }
}
