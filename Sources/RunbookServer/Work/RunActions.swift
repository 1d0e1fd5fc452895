import Logging
import RunbookCore
import RunbookEngine
import RunbookStore

/// What people (through the API) and resolved alerts do to runs. The store records the
/// decision first; then a run still executing here hears it through its ``RunControl``, and a
/// run whose steps are done gets its timeline line and `on_resolved` message from here.
struct RunActions {
    var dependencies: ServerDependencies

    enum Failure: Error, Equatable {
        case noSuchRun
        /// Approvals go to a run's live task; there is none for this run in this process.
        case notWaiting(String)
    }

    func acknowledge(runID: String, by person: String) async throws -> RunRow {
        guard let before = try await dependencies.store.acknowledge(runID: runID, by: person, now: dependencies.clock.now()) else {
            throw Failure.noSuchRun
        }
        guard before.ackedBy == nil, before.resolvedAt == nil else { return before }
        if let control = await dependencies.registry.control(for: runID) {
            await control.acknowledge(by: person)
        } else if let announcer = try await dependencies.storedAnnouncer(runID: runID)?.announcer {
            let offset = Duration.milliseconds(dependencies.clock.now() - before.startedAt)
            try await dependencies.store.appendTimeline(runID: runID, events: announcer.acknowledge(by: person, at: offset).timeline)
        }
        return before
    }

    func resolve(runID: String, by person: String) async throws -> RunRow {
        guard let before = try await dependencies.store.resolve(runID: runID, now: dependencies.clock.now()) else {
            throw Failure.noSuchRun
        }
        if before.resolvedAt == nil { await announceResolution(of: [before], reason: "resolved by \(person)", person: person) }
        return before
    }

    func decide(runID: String, step: String, approve: Bool, by person: String) async throws {
        guard let control = await dependencies.registry.control(for: runID) else {
            if try await dependencies.store.run(id: runID) == nil { throw Failure.noSuchRun }
            throw Failure.notWaiting("run \(runID) is not executing in this rbx serve; approvals are taken while its approval step waits")
        }
        if approve { await control.approve(step: step, by: person) } else { await control.deny(step: step, by: person) }
    }

    /// Tells runs the store just marked resolved: a live one through its control, a finished
    /// one with the `on_resolved` message.
    func announceResolution(of runs: [RunRow], reason: String, person: String? = nil) async {
        for run in runs {
            if let control = await dependencies.registry.control(for: run.id) {
                await control.resolve(by: person ?? "alert")
                continue
            }
            guard run.state != .running else { continue }
            do {
                guard let announcer = try await dependencies.storedAnnouncer(runID: run.id)?.announcer else { continue }
                let offset = Duration.milliseconds(dependencies.clock.now() - run.startedAt)
                let announcement = await announcer.resolve(reason: reason, at: offset)
                try await dependencies.store.appendTimeline(runID: run.id, events: announcement.timeline)
            } catch {
                dependencies.logger.error("could not announce a resolution", metadata: ["run": .string(run.id), "error": .string("\(error)")])
            }
        }
    }
}
