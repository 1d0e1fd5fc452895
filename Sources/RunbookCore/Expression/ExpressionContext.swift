/// Where a condition's paths get their values: the alert, the run, earlier steps' results.
///
/// A protocol rather than a dictionary so the executor can resolve lazily (a step's stdout is
/// only read if a condition asks for it).
public protocol ExpressionContext {
    /// The value at `path` (`["steps", "verify", "ok"]`); `.null` when there is none, such as
    /// a missing label or an output the step did not produce.
    func value(at path: [String]) -> ExpressionValue
}
