import ArgumentParser
import Foundation
import RunbookServer

struct RunsCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List the runs of an rbx serve, newest first.",
        discussion: """
            Exit codes: 0 listed, 1 the server could not be reached or refused, 2 usage errors
            (no token, token refused).

            Examples:
              rbx runs --state open,running
              rbx runs --server http://rbx.internal:9095 --format json
            """)

    @OptionGroup var server: ServerOptions

    @Option(help: "Only runs in these states: running, open, acked, resolved, failed (comma-separated).")
    var state: String?

    @Option(help: "At most this many runs.")
    var limit = 50

    /// `--format json` (or `--json`) prints the server's JSON.
    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Print only the run ids, one per line (for scripts: rbx runs -q --state waiting).")
    var quiet = false

    func execute() async -> CommandOutcome {
        var path = "/api/v1/runs?limit=\(limit)"
        if let state {
            path += "&state=" + (state.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? state)
        }
        switch await server.client.send("GET", path) {
        case .failure(let failure): return failure.outcome
        case .success(let reply):
            guard let runs = reply.decoded([RunBody].self) else {
                return CommandOutcome(
                    stderr: "rbx runs: the server's answer is not a list of runs\n", exitCode: RbxExit.failed)
            }
            if output.wantsJSON { return CommandOutcome(stdout: RunsCommand.pretty(runs)) }
            if quiet { return CommandOutcome(stdout: runs.map { $0.id + "\n" }.joined()) }
            if runs.isEmpty { return CommandOutcome(stdout: "no runs\n") }
            var lines = ["RUN                                   STATE     OUTCOME    RUNBOOK                 STARTED"]
            func column(_ text: String?, _ width: Int) -> String {
                let text = text ?? "-"
                return text + String(repeating: " ", count: max(1, width - text.count))
            }
            for run in runs {
                lines.append(
                    column(run.id, 38) + column(run.state, 10) + column(run.outcome, 11) + column(run.runbook, 24)
                        + run.startedAt)
            }
            return CommandOutcome(stdout: lines.joined(separator: "\n") + "\n")
        }
    }

    static func pretty(_ runs: [RunBody]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(runs) else { return "" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
