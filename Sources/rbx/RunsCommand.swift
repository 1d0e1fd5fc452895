import ArgumentParser
import Foundation

struct RunsCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs of an rbx serve, newest first.",
        discussion: """
            Exit codes: 0 listed, 1 the server could not be reached or refused, 2 usage errors
            (no token, token refused).

            Examples:
              rbx runs --state open,running
              rbx runs --server http://rbx.internal:9095 --json
            """)

    @OptionGroup var server: ServerOptions

    @Option(help: "Only runs in these states: running, open, acked, resolved, failed (comma-separated).")
    var state: String?

    @Option(help: "At most this many runs.")
    var limit = 50

    @Flag(help: "Print the server's JSON.")
    var json = false

    func execute() async -> CommandOutcome {
        var path = "/api/v1/runs?limit=\(limit)"
        if let state { path += "&state=" + (state.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? state) }
        switch await server.client.send("GET", path) {
        case .failure(let failure): return failure.outcome
        case .success(let reply):
            let runs = reply.json as? [[String: Any]] ?? []
            if json { return CommandOutcome(stdout: RunsCommand.pretty(reply.json ?? [])) }
            if runs.isEmpty { return CommandOutcome(stdout: "no runs\n") }
            var lines = ["RUN                                   STATE     OUTCOME    RUNBOOK                 STARTED"]
            for run in runs {
                func field(_ key: String, _ width: Int) -> String {
                    let text = run[key].map { "\($0)" } ?? "-"
                    return text + String(repeating: " ", count: max(1, width - text.count))
                }
                lines.append(field("id", 38) + field("state", 10) + field("outcome", 11) + field("runbook", 24) + (run["started_at"] as? String ?? ""))
            }
            return CommandOutcome(stdout: lines.joined(separator: "\n") + "\n")
        }
    }

    static func pretty(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) else {
            return ""
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}

/// `rbx ack`, `rbx resolve`, `rbx approve`, `rbx deny`: one POST to /api/v1/runs/ID/ACTION.
struct RunActionCommand {
    static func perform(_ action: String, runID: String, step: String?, by person: String?, server: ServerOptions) async -> CommandOutcome {
        var body: [String: Any] = [:]
        if let step { body["step"] = step }
        body["by"] = person ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
        let encoded = runID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? runID
        switch await server.client.send("POST", "/api/v1/runs/\(encoded)/\(action)", body: body) {
        case .failure(let failure): return failure.outcome
        case .success(let reply):
            let run = reply.json as? [String: Any] ?? [:]
            return CommandOutcome(stdout: "run \(runID): \(action) accepted; state \(run["state"] ?? "?")\n")
        }
    }
}

struct AckCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge a run: escalation stops; status updates go on until it resolves.",
        discussion: "Exit codes: 0 acknowledged, 1 no such run or server unreachable, 2 usage or token errors.")
    @Argument(help: "The run id (rbx runs lists them).") var run: String
    @Option(help: "Who acknowledges (default: $USER).") var by: String?
    @OptionGroup var server: ServerOptions

    func execute() async -> CommandOutcome { await RunActionCommand.perform("ack", runID: run, step: nil, by: by, server: server) }
}

struct ResolveCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Resolve a run: all its timers stop and its on_resolved message is published.",
        discussion: "Exit codes: 0 resolved, 1 no such run or server unreachable, 2 usage or token errors.")
    @Argument(help: "The run id.") var run: String
    @Option(help: "Who resolves (default: $USER).") var by: String?
    @OptionGroup var server: ServerOptions

    func execute() async -> CommandOutcome { await RunActionCommand.perform("resolve", runID: run, step: nil, by: by, server: server) }
}

struct ApproveCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve", abstract: "Approve the approval step a run is waiting on.",
        discussion: "Exit codes: 0 approved, 1 no such run, not waiting, or server unreachable, 2 usage or token errors.")
    @Argument(help: "The run id.") var run: String
    @Option(help: "The approval step's id.") var step: String
    @Option(help: "Who approves (default: $USER).") var by: String?
    @OptionGroup var server: ServerOptions

    func execute() async -> CommandOutcome { await RunActionCommand.perform("approve", runID: run, step: step, by: by, server: server) }
}

struct DenyCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "deny", abstract: "Deny the approval step a run is waiting on (the step fails).",
        discussion: "Exit codes: 0 denied, 1 no such run, not waiting, or server unreachable, 2 usage or token errors.")
    @Argument(help: "The run id.") var run: String
    @Option(help: "The approval step's id.") var step: String
    @Option(help: "Who denies (default: $USER).") var by: String?
    @OptionGroup var server: ServerOptions

    func execute() async -> CommandOutcome { await RunActionCommand.perform("deny", runID: run, step: step, by: by, server: server) }
}
