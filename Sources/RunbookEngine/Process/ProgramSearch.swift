/// Where a step's program would be found, without running it: what `rbx doctor` checks before
/// an alert needs the step. The same lookup as the runner's (``ProgramLocator``).
public enum ProgramSearch {
    /// The absolute path `program` resolves to in `environment`'s `PATH` (or as a path), or the
    /// reason it would not run (`not found in PATH (…)`, `not executable`).
    public static func locate(_ program: String, environment: [String: String]) -> Result<String, CommandRunnerError> {
        do {
            return .success(try ProgramLocator.resolve(program, environment: environment, workingDirectory: nil))
        } catch {
            return .failure(error)
        }
    }
}
