/// Guards that can never hold: `when: not steps.check.ok` after a step `check` that stops the
/// run when it fails (no `continue_on_error`, no `when` of its own that could skip it). By the
/// time the guarded step is reached, `check` succeeded, so the branch is dead code that reads as
/// if it handled the failure. Lint warns (`never-true`) and `rbx test` coverage does not count
/// the branch as one a test could take.
public enum GuardReachability {
    /// The path that makes `condition` impossible as the `when` of a step that comes after
    /// `earlier` (the steps before it in the same list), or nil when it can hold.
    public static func impossiblePath(in condition: Condition, after earlier: [Step]) -> ExpressionPath? {
        impossiblePath(in: condition, after: earlier[...])
    }

    /// The same for a slice, which lint passes for every guarded step without copying the
    /// steps before it. The atoms are looked at first: most guards require no failure, and then
    /// the earlier steps need not be looked at at all.
    public static func impossiblePath(in condition: Condition, after earlier: ArraySlice<Step>) -> ExpressionPath? {
        let atoms: [Expression] =
            switch condition.expression {
            case .and(let operands, _): operands
            default: [condition.expression]
            }
        for atom in atoms {
            guard let path = requiredFailure(atom), path.components.count == 3 else { continue }
            let id = path.components[1]
            if earlier.contains(where: { $0.id.value == id && !$0.continueOnError && $0.when == nil }) {
                return path
            }
        }
        return nil
    }

    /// The `steps.X.…` path an atom requires to show a failure, if it does.
    private static func requiredFailure(_ atom: Expression) -> ExpressionPath? {
        switch atom {
        case .not(.path(let path), _) where isStepField(path, "ok"):
            return path
        case .compare(.equal, .path(let path), .literal(.bool(false), _), _) where isStepField(path, "ok"),
            .compare(.equal, .literal(.bool(false), _), .path(let path), _) where isStepField(path, "ok"):
            return path
        case .compare(.equal, .path(let path), .literal(.string(let status), _), _)
        where isStepField(path, "status") && failedStatuses.contains(status):
            return path
        default:
            return nil
        }
    }

    static let failedStatuses: Set<String> = ["failed", "timed_out", "denied"]

    private static func isStepField(_ path: ExpressionPath, _ field: String) -> Bool {
        path.components.count == 3 && path.components[0] == "steps" && path.components[2] == field
    }
}
