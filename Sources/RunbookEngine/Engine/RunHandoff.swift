public import RunbookCore
public import RunbookLifecycle

/// `handoff:` from one run to the next: the one rule `rbx run`, drills, `rbx test` and the
/// server follow when a `stop` step hands its alert to another runbook.
public enum RunHandoff {
    /// Hand-offs one alert may make. Lint refuses a cycle in a catalog (`handoff-cycle`); this
    /// bounds whatever a catalog could still do, so an alert can never run runbooks forever.
    public static let limit = 5

    /// The run that handed the alert over, recorded by the run that takes it.
    public struct Origin: Sendable, Equatable, Codable {
        public var runID: String
        public var runbook: String

        public init(runID: String, runbook: String) {
            self.runID = runID
            self.runbook = runbook
        }
    }

    /// Why a hand-off cannot be followed; the alert stays with the run that asked for it.
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// The runbook `record` hands its alert to: `nil` when it hands off nothing; a refusal when
    /// the runbook is not in the catalog or the alert has made `limit` hand-offs already
    /// (`made`: how many led to the run that produced `record`).
    public static func next(
        after record: RunRecord, made: Int, in catalog: Catalog
    ) -> Result<Runbook, Refusal>? {
        guard let name = record.handoff else { return nil }
        return target(named: name, made: made, in: catalog)
    }

    /// The same rule for a hand-off already recorded (the server keeps it with the alert).
    public static func target(named name: String, made: Int, in catalog: Catalog) -> Result<Runbook, Refusal> {
        guard made < limit else {
            return .failure(
                Refusal(description: "hand-off to \(name) refused: this alert was handed off \(limit) times already"))
        }
        guard let runbook = catalog.runbook(named: name) else {
            return .failure(Refusal(description: "hand-off to \(name) refused: no runbook \(name) in the catalog"))
        }
        return .success(runbook)
    }
}
