internal import Foundation
public import RunbookCore
public import RunbookLifecycle

/// The values conditions and `{{…}}` see at one point of a run: the alert, earlier steps'
/// results, the run, allow-listed environment variables and (inside a playbook) its inputs.
public struct RunContext: ExpressionContext, Sendable {
    public struct RunInfo: Sendable {
        public var id: String
        public var runbook: String
        public var startedAt: String
        public var dryRun: Bool

        public init(id: String, runbook: String, startedAt: String, dryRun: Bool) {
            self.id = id
            self.runbook = runbook
            self.startedAt = startedAt
            self.dryRun = dryRun
        }
    }

    public var alert: Alert?
    public var steps: [String: StepResult] = [:]
    public var run: RunInfo
    public var env: [String: String]
    /// A playbook's inputs, typed by their declaration (``PlaybookInput/expressionValue(for:)``).
    public var inputs: [String: ExpressionValue] = [:]
    /// Inside `until`, the polled step, whose fields may be named without `steps.<id>.`.
    public var currentStep: String?
    /// `now`, in seconds since the epoch, as the run's clock says (virtual in a drill); set by
    /// the run before it evaluates. Without it, `now` is the wall clock.
    public var now: Double?
    /// The step whose failure stopped the steps (`run.failed_step`, for `on_failure`).
    public var failedStep: String?
    /// Where the run stands (`run.state`: running, open, acked, resolved, failed, stopped) and
    /// how long it has run (`run.duration`, seconds), as of the message or condition.
    public var state: String?
    public var elapsed: Duration?

    public init(alert: Alert?, run: RunInfo, env: [String: String]) {
        self.alert = alert
        self.run = run
        self.env = env
    }

    public func value(at path: [String]) -> ExpressionValue {
        guard let root = path.first else { return .null }
        let rest = path.dropFirst()
        if let currentStep, ReferenceFields.step.contains(root), let result = steps[currentStep] {
            return Self.value(of: result, at: path[...])
        }
        if root == "now" {
            return path.count == 1 ? .number(now ?? Date().timeIntervalSince1970) : .null
        }
        switch root {
        case "alert":
            guard let alert else { return .null }
            return alert.expressionValue(at: rest)
        case "steps":
            guard let id = rest.first, let result = steps[id] else { return .null }
            return Self.value(of: result, at: rest.dropFirst())
        case "run":
            switch rest.first {
            case "id": return .string(run.id)
            case "runbook": return .string(run.runbook)
            case "started_at": return .string(run.startedAt)
            case "dry_run": return .bool(run.dryRun)
            case "failed_step": return failedStep.map(ExpressionValue.string) ?? .null
            case "state": return state.map(ExpressionValue.string) ?? .null
            case "duration": return elapsed.map { .number(Double($0.totalMilliseconds) / 1000) } ?? .null
            default: return .null
            }
        case "env":
            return rest.count == 1 ? rest.first.flatMap { env[$0] }.map(ExpressionValue.string) ?? .null : .null
        case "inputs":
            return rest.count == 1 ? rest.first.flatMap { inputs[$0] } ?? .null : .null
        default:
            return .null
        }
    }

    /// The text a `{{path}}` renders to: the value's text, or empty for null.
    public func text(at path: [String]) -> String {
        value(at: path).text
    }

    private static func value(of result: StepResult, at path: ArraySlice<String>) -> ExpressionValue {
        switch path.first {
        case "ok": return .bool(result.ok)
        case "exit_code": return result.exitCode.map { .number(Double($0)) } ?? .null
        case "stdout": return .string(result.stdout)
        case "stderr": return .string(result.stderr)
        case "status": return .string(result.status.rawValue)
        case "attempts": return .number(Double(result.attempts))
        case "skipped": return .bool(result.status == .skipped)
        case "duration": return .number(Double(result.duration.totalMilliseconds) / 1000)
        case "outputs":
            guard let name = path.dropFirst().first else { return .object(result.outputs) }
            return (result.outputs[name] ?? .null).value(at: path.dropFirst(2))
        case let field? where ReferenceFields.queryStep.contains(field):
            return (result.query?.field(field) ?? .null).value(at: path.dropFirst())
        default: return .null
        }
    }
}
