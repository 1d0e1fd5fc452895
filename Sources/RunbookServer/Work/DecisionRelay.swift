import Logging
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import ServiceLifecycle

/// Tells the runs this replica executes what reached another replica: decisions on approval
/// steps (``RelayedDecision``: taken from the store, asked of the run's gate, answered for the
/// waiting replica to return to its caller), and acknowledgements and resolutions the store
/// recorded (the run's lifecycle records them and stops escalation, or its steps). Only for a
/// store replicas share.
struct DecisionRelay: Service, CustomStringConvertible {
    var dependencies: ServerDependencies
    /// How often the store is asked while runs execute here: a person waits for the answer.
    static let interval = Duration.milliseconds(100)

    func run() async throws {
        let flag = ShutdownFlag()
        await withGracefulShutdownHandler {
            while !flag.isRaised && !Task.isCancelled {
                await relay()
                try? await Task.sleep(for: Self.interval)
            }
        } onGracefulShutdown: {
            flag.raise()
        }
    }

    /// Answers what is pending for this replica's runs. Returns how many decisions it answered.
    @discardableResult
    func relay() async -> Int {
        let registry = dependencies.registry
        let runIDs = await registry.runIDs
        guard !runIDs.isEmpty else { return 0 }
        do {
            let decisions = try await dependencies.store.takeDecisions(runIDs: runIDs)
            for decision in decisions {
                let result: Result<ApprovalGate.Outcome, ApprovalRejection>
                if let control = await registry.control(for: decision.runID) {
                    result = await control.decide(decision.verdict, step: decision.step, by: decision.identity)
                } else {
                    result = .failure(
                        ApprovalRejection(
                            code: .notWaiting, step: decision.step, waiting: nil,
                            message: "run \(decision.runID) stopped executing before the decision arrived"))
                }
                DecisionLog(logger: dependencies.logger).decided(
                    runID: decision.runID, step: decision.step, verdict: decision.verdict, by: decision.identity,
                    result: result, relayed: true)
                try await dependencies.store.answerDecision(id: decision.id, DecisionAnswer(result))
            }
            for run in try await dependencies.store.acknowledgedOrResolved(runIDs: runIDs) {
                guard let control = await registry.control(for: run.id) else { continue }
                if let resolution = run.resolution { await control.resolve(resolution) }
                if let acknowledgement = run.acknowledgement {
                    await control.acknowledge(by: acknowledgement.by, note: acknowledgement.note)
                }
            }
            return decisions.count
        } catch {
            dependencies.logger.error(
                "could not answer relayed decisions; trying again", metadata: ["error": .string("\(error)")])
            return 0
        }
    }

    var description: String { "DecisionRelay" }
}
