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
        if let state {
            path += "&state=" + (state.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? state)
        }
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
                lines.append(
                    field("id", 38) + field("state", 10) + field("outcome", 11) + field("runbook", 24)
                        + (run["started_at"] as? String ?? ""))
            }
            return CommandOutcome(stdout: lines.joined(separator: "\n") + "\n")
        }
    }

    static func pretty(_ value: Any) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: value, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else {
            return ""
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
