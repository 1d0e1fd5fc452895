import Logging
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// What people (through the API) and resolved alerts do to runs. The store records the
/// decision first; then a run still executing here hears it through its ``RunControl``, and a
/// run whose steps are done gets its timeline line and `on_resolved` message from here.
struct RunActions {
    var dependencies: ServerDependencies

    enum Failure: Error, Equatable {
        case noSuchRun
        /// The approval rules refused the decision (too early, wrong step, not an approver, or
        /// the run is not executing in this process).
        case refused(ApprovalRejection)
    }

    func acknowledge(runID: String, by person: Identity, note: String?) async throws -> RunRow {
        guard
            let before = try await dependencies.store.acknowledge(
                runID: runID, by: person.name, now: dependencies.clock.milliseconds)
        else {
            throw Failure.noSuchRun
        }
        guard before.ackedBy == nil, before.resolvedAt == nil else { return before }
        if let control = await dependencies.registry.control(for: runID) {
            await control.acknowledge(by: person.name, note: note)
        } else {
            await recordAcknowledgement(of: before, RunAcknowledgement(by: person.name, note: note))
        }
        return before
    }

    /// The timeline line of an acknowledgement the run's own steps did not record (they had
    /// ended, or were ending when it came), in the words the run's lifecycle gives it. `run` is
    /// the run as it was before the store recorded the acknowledgement.
    func recordAcknowledgement(of run: RunRow, _ acknowledgement: RunAcknowledgement) async {
        do {
            var before = run
            before.ackedBy = nil
            guard var stored = try await dependencies.storedRun(id: run.id, as: before) else { return }
            let actions = stored.lifecycle.acknowledge(acknowledgement, at: dependencies.clock.now)
            _ = await stored.carryOut(actions)
            try await dependencies.store.appendTimeline(runID: run.id, events: stored.messenger.timeline, claim: nil)
        } catch {
            dependencies.logger.error(
                "could not record an acknowledgement",
                metadata: ["run.id": .string(run.id), "error": .string("\(error)")])
        }
    }

    func resolve(runID: String, by person: Identity, note: String?) async throws -> RunRow {
        guard let before = try await dependencies.store.resolve(runID: runID, now: dependencies.clock.milliseconds)
        else {
            throw Failure.noSuchRun
        }
        if before.resolvedAt == nil {
            await announceResolution(of: [before], by: .person(person.name, note: note))
        }
        return before
    }

    /// A decision counts only for the approval step the run waits on now, from an identity
    /// the step allows (``ApprovalGate``).
    func decide(runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity) async throws {
        guard let detail = try await dependencies.store.run(id: runID) else { throw Failure.noSuchRun }
        if let runbook = dependencies.catalog.runbook(named: detail.run.runbook),
            !dependencies.catalog.approvalStepIDs(of: runbook).contains(step)
        {
            throw Failure.refused(ApprovalGate.unknownStep(step, runbook: runbook.name))
        }
        guard let control = await dependencies.registry.control(for: runID) else {
            throw Failure.refused(
                ApprovalRejection(
                    code: .notWaiting, step: step, waiting: nil,
                    message:
                        "run \(runID) is not executing in this rbx serve; decisions are taken while its approval step waits"
                ))
        }
        switch await control.decide(verdict, step: step, by: identity) {
        case .success(let outcome):
            dependencies.logger.info(
                "approval decided",
                metadata: [
                    "run.id": .string(runID), "step.id": .string(step), "by": .string(identity.name),
                    "verdict": .string(verdict.rawValue), "final": .stringConvertible(outcome.isFinal),
                ])
        case .failure(let rejection):
            throw Failure.refused(rejection)
        }
    }

    /// Tells runs the store just marked resolved: a live one through its control, one whose
    /// steps ended through its lifecycle (the timeline line and `on_resolved`). `runs` are as
    /// they were before the resolution was recorded.
    func announceResolution(of runs: [RunRow], by resolution: RunResolution) async {
        for run in runs {
            if let control = await dependencies.registry.control(for: run.id) {
                await control.resolve(resolution)
                continue
            }
            guard run.state != .running else { continue }
            do {
                var before = run
                before.resolvedAt = nil
                guard var stored = try await dependencies.storedRun(id: run.id, as: before) else { continue }
                let actions = stored.lifecycle.resolve(resolution, at: dependencies.clock.now)
                _ = await stored.carryOut(actions)
                try await dependencies.store.appendTimeline(
                    runID: run.id, events: stored.messenger.timeline, claim: nil)
                try await dependencies.store.recordAnnouncement(runID: run.id, stored.announcement)
            } catch {
                dependencies.logger.error(
                    "could not announce a resolution",
                    metadata: ["run.id": .string(run.id), "error": .string("\(error)")])
            }
        }
    }
}
