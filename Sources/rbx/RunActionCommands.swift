import ArgumentParser
import Foundation

/// What `rbx ack`, `resolve`, `approve` and `deny` share: the run, who acts, the server.
struct RunActionArguments: ParsableArguments {
    @Argument(help: "The run id (rbx runs lists them).") var run: String
    @Option(help: "Who acts, as recorded in the run's timeline (default: $USER).") var by: String?
    @OptionGroup var server: ServerOptions

    /// One POST to /api/v1/runs/ID/ACTION.
    func perform(_ action: String, step: String? = nil) async -> CommandOutcome {
        var body: [String: Any] = ["by": by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"]
        if let step { body["step"] = step }
        let encoded = run.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? run
        switch await server.client.send("POST", "/api/v1/runs/\(encoded)/\(action)", body: body) {
        case .failure(let failure): return failure.outcome
        case .success(let reply):
            let state = (reply.json as? [String: Any])?["state"] ?? "?"
            return CommandOutcome(stdout: "run \(run): \(action) accepted; state \(state)\n")
        }
    }
}

private let actionExitCodes = "Exit codes: 0 done, 1 no such run (or, for approvals, none waiting) or server unreachable, 2 usage or token errors."

struct AckCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a run: escalation stops; status updates go on until it resolves.",
        discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments

    func execute() async -> CommandOutcome { await arguments.perform("ack") }
}

struct ResolveCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Resolve a run: all its timers stop and its on_resolved message is published.",
        discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments

    func execute() async -> CommandOutcome { await arguments.perform("resolve") }
}

struct ApproveCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the approval step a run is waiting on.", discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments
    @Option(help: "The approval step's id.") var step: String

    func execute() async -> CommandOutcome { await arguments.perform("approve", step: step) }
}

struct DenyCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Deny the approval step a run is waiting on (the step fails).", discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments
    @Option(help: "The approval step's id.") var step: String

    func execute() async -> CommandOutcome { await arguments.perform("deny", step: step) }
}
