import Logging
import RunbookEngine
import RunbookStore

/// Persists a run's progress as it happens: the step about to run, each result, the timeline.
/// A failed write is logged, not fatal: the run goes on and the end of the run writes again.
struct StoreRunObserver: RunObserver {
    var runID: String
    var runbook: String
    var dependencies: ServerDependencies

    func stepStarted(_ stepID: String) async {
        await attempt("record the start of step \(stepID)") {
            try await dependencies.store.stepStarted(runID: runID, stepID: stepID, now: dependencies.clock.now())
        }
    }

    func stepFinished(_ result: StepResult) async {
        // A step cut short by shutdown is not a result: left "started", it is resumed (or
        // marked interrupted) at the next start, as after a crash.
        if Task.isCancelled { return }
        dependencies.metrics.stepFinished(runbook: runbook, status: result.status.rawValue, duration: result.duration)
        await attempt("record the result of step \(result.id)") {
            try await dependencies.store.stepFinished(runID: runID, result: result, now: dependencies.clock.now())
        }
    }

    func recorded(_ events: [TimelineEvent]) async {
        await attempt("record the timeline") {
            try await dependencies.store.appendTimeline(runID: runID, events: events)
        }
    }

    private func attempt(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            dependencies.logger.error("could not \(what)", metadata: ["run": .string(runID), "error": .string("\(error)")])
        }
    }
}
