/// A run's place in its life.
///
/// `running`: a worker is executing its steps. `open`: the steps are done but the incident is
/// not: escalation goes on until a person acknowledges or the alert resolves. The rest are final.
public enum RunState: String, Sendable, Hashable, Codable, CaseIterable {
    case running, open, acked, resolved, failed
    /// A `stop` step ended the steps: done, escalation over, not resolved until the alert is.
    case stopped
    /// A schedule's run whose steps ended without a failure: final, nothing was open.
    case completed
}
