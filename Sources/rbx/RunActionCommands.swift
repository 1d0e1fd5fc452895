import ArgumentParser
import Foundation
import RunbookServer

/// What `rbx ack`, `resolve`, `approve` and `deny` share: the run, a note, the server. Who
/// acts is not an option: the server takes it from the token (a named token in rbx.yaml).
struct RunActionArguments: ParsableArguments {
    @Argument(help: "The run id (rbx runs lists them).") var run: String
    @Option(help: "A note kept in the run's timeline with your name (e.g. what you saw or did).") var note: String?
    @OptionGroup var server: ServerOptions
    @Flag(name: .shortAndLong, help: "Print nothing on success; errors go to standard error, the exit code says it.")
    var quiet = false

    /// One POST to /api/v1/runs/ID/ACTION.
    func perform(_ action: String, step: String? = nil) async -> CommandOutcome {
        await post(action, step: step).quieted(quiet)
    }

    private func post(_ action: String, step: String?) async -> CommandOutcome {
        let body = RunActionBody(note: note, step: step)
        let encoded = run.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? run
        switch await server.client.send("POST", "/api/v1/runs/\(encoded)/\(action)", body: body) {
        case .failure(let failure): return failure.outcome
        case .success(let reply):
            let answer = reply.decoded(RunBody.self)
            var text = "run \(run): \(action) accepted; state \(answer?.state ?? "?")\n"
            if let waiting = answer?.waitingFor, action == "approve", waiting == step {
                text += "step \(waiting) still waits: it needs another approver\n"
            }
            return CommandOutcome(stdout: text)
        }
    }
}

private let actionExitCodes = """
    You act as the identity of your token (RBX_TOKEN or --token-file): a named token in the
    server's rbx.yaml (auth.tokens). An approval step that lists approvers refuses anyone else
    (403), and a decision is taken only while its step waits (409 before or after).

    Exit codes: 0 done, 1 refused (no such run or step, not waiting, not an approver) or server
    unreachable, 2 usage or token errors.
    """

struct AckCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a run: escalation stops; status updates go on until it resolves.",
        discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments

    func execute() async -> CommandOutcome { await arguments.perform("ack") }
}

struct ResolveCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Resolve a run: all its timers stop and its on_resolved message is published.",
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
        commandName: "deny", abstract: "Deny the approval step a run is waiting on (the step fails).",
        discussion: actionExitCodes)
    @OptionGroup var arguments: RunActionArguments
    @Option(help: "The approval step's id.") var step: String

    func execute() async -> CommandOutcome { await arguments.perform("deny", step: step) }
}
