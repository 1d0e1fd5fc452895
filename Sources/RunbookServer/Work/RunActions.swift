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
        /// the run is not executing).
        case refused(ApprovalRejection)
        /// The decision went through the store to the replica executing the run, which did not
        /// answer in time. `taken`: it took the decision (and may have applied it); otherwise
        /// the decision was withdrawn and not applied.
        case unanswered(taken: Bool)
    }

    /// How long an API call waits for the replica executing a run to answer a relayed decision.
    static let relayWait = Duration.seconds(5)

    /// What a person does to a run, by the API or the console: the same four, the same rules.
    enum PersonAction: String, CaseIterable {
        case ack, resolve, approve, deny
    }

    /// Carries out `action` for `person`; `step` names the approval step for approve and deny.
    /// A note is kept up to 1,000 characters.
    func perform(_ action: PersonAction, runID: String, step: String, note: String?, by person: Identity) async throws {
        let note = note.flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        switch action {
        case .ack: _ = try await acknowledge(runID: runID, by: person, note: note)
        case .resolve: _ = try await resolve(runID: runID, by: person, note: note)
        case .approve: try await decide(runID: runID, step: step, verdict: .approve, by: person)
        case .deny: try await decide(runID: runID, step: step, verdict: .deny, by: person)
        }
    }

    /// Records an acknowledgement; the run's lifecycle words it in the timeline: the run's own
    /// when its steps execute here, a rebuilt one when they ended. A run executing in another
    /// replica hears it from the store (``DecisionRelay``).
    func acknowledge(runID: String, by person: Identity, note: String?) async throws -> RunRow {
        let acknowledgement = RunAcknowledgement(by: person.name, note: note)
        guard
            let before = try await dependencies.store.acknowledge(
                runID: runID, by: acknowledgement, now: dependencies.clock.milliseconds)
        else {
            throw Failure.noSuchRun
        }
        var standing = before.standing
        guard standing.acknowledge() != nil else { return before }
        if let control = await dependencies.registry.control(for: runID) {
            await control.acknowledge(by: acknowledgement.by, note: acknowledgement.note)
        } else if before.state != .running {
            await recordAcknowledgement(of: before, acknowledgement)
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
            before.ackNote = nil
            try await carryOut(on: before) { $0.acknowledge(acknowledgement, at: dependencies.clock.now) }
        } catch {
            dependencies.logger.error(
                "could not record an acknowledgement",
                metadata: ["run.id": .string(run.id), "error": .string("\(error)")])
        }
    }

    func resolve(runID: String, by person: Identity, note: String?) async throws -> RunRow {
        let resolution = RunResolution.person(person.name, note: note)
        guard
            let before = try await dependencies.store.resolve(
                runID: runID, by: resolution, now: dependencies.clock.milliseconds)
        else {
            throw Failure.noSuchRun
        }
        var standing = before.standing
        if standing.resolve() != nil { await announceResolution(of: [before], by: resolution) }
        return before
    }

    /// A decision counts only for the approval step the run waits on now, from an identity
    /// the step allows (``ApprovalGate``). A run executing in another replica gets it through
    /// the store (``RelayedDecision``), and the call waits for that replica's answer.
    func decide(runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity) async throws {
        guard let detail = try await dependencies.store.run(id: runID) else { throw Failure.noSuchRun }
        if let runbook = dependencies.catalog.runbook(named: detail.run.runbook),
            !dependencies.catalog.approvalStepIDs(of: runbook).contains(step)
        {
            throw Failure.refused(ApprovalGate.unknownStep(step, runbook: runbook.name))
        }
        if let control = await dependencies.registry.control(for: runID) {
            let result = await control.decide(verdict, step: step, by: identity)
            DecisionLog(logger: dependencies.logger).decided(
                runID: runID, step: step, verdict: verdict, by: identity, result: result)
            if case .failure(let rejection) = result { throw Failure.refused(rejection) }
            return
        }
        guard !dependencies.store.isExclusive, detail.run.state == .running else {
            throw Failure.refused(
                ApprovalRejection(
                    code: .notWaiting, step: step, waiting: nil,
                    message:
                        "run \(runID) is not executing its steps; decisions are taken while its approval step waits"
                ))
        }
        switch try await relay(runID: runID, step: step, verdict: verdict, by: identity) {
        case .taken:
            return
        case .refused(let code, let waiting, let message):
            throw Failure.refused(
                ApprovalRejection(
                    code: ApprovalRejection.Code(code) ?? .notWaiting, step: step, waiting: waiting, message: message))
        }
    }

    /// Sends the decision through the store and waits for the executing replica's answer. A
    /// decision nobody took in time is withdrawn, so it is never applied after the caller heard
    /// it failed.
    private func relay(
        runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity
    ) async throws -> DecisionAnswer {
        let store = dependencies.store
        let id = try await store.relayDecision(
            runID: runID, step: step, verdict: verdict, by: identity, now: dependencies.clock.milliseconds)
        if let answer = try await awaitAnswer(id) { return answer }
        if try await store.withdrawDecision(id: id) { throw Failure.unanswered(taken: false) }
        if let answer = try await awaitAnswer(id) { return answer }
        throw Failure.unanswered(taken: true)
    }

    private func awaitAnswer(_ id: Int64) async throws -> DecisionAnswer? {
        let deadline = ContinuousClock.now + Self.relayWait
        while ContinuousClock.now < deadline {
            if let answer = try await dependencies.store.decisionAnswer(id: id) { return answer }
            try await Task.sleep(for: .milliseconds(25))
        }
        return try await dependencies.store.decisionAnswer(id: id)
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
                before.resolution = nil
                try await carryOut(on: before) { $0.resolve(resolution, at: dependencies.clock.now) }
            } catch {
                dependencies.logger.error(
                    "could not announce a resolution",
                    metadata: ["run.id": .string(run.id), "error": .string("\(error)")])
            }
        }
    }

    /// Rebuilds a run whose steps are not executing here as it stood `before` a change the
    /// store recorded, feeds its lifecycle that change, and stores the timeline lines and the
    /// pages and messages it produced.
    private func carryOut(
        on before: RunRow, _ event: (inout StoredRunLifecycle) -> [RunAction]
    ) async throws {
        guard var stored = try await dependencies.storedRun(id: before.id, as: before) else { return }
        let actions = event(&stored.lifecycle)
        _ = await stored.carryOut(actions)
        try await dependencies.store.appendTimeline(runID: before.id, events: stored.messenger.timeline, claim: nil)
        try await dependencies.store.recordAnnouncement(runID: before.id, stored.announcement)
    }
}
