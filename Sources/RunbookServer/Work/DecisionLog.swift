import Logging
import RunbookLifecycle

/// The log line of a decision on an approval step, the same whether the API call reached the
/// replica executing the run or was relayed to it through the store.
struct DecisionLog {
    var logger: Logger

    func decided(
        runID: String, step: String, verdict: ApprovalGate.Verdict, by identity: Identity,
        result: Result<ApprovalGate.Outcome, ApprovalRejection>, relayed: Bool = false
    ) {
        var metadata: Logger.Metadata = [
            "run.id": .string(runID), "step.id": .string(step), "by": .string(identity.name),
            "verdict": .string(verdict.rawValue), "relayed": .stringConvertible(relayed),
        ]
        switch result {
        case .success(let outcome):
            metadata["final"] = .stringConvertible(outcome.isFinal)
            logger.info("approval decided", metadata: metadata)
        case .failure(let rejection):
            metadata["code"] = .string(rejection.code.description)
            logger.notice("approval refused", metadata: metadata)
        }
    }
}
