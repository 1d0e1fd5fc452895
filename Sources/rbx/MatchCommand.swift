import ArgumentParser
import Foundation
import RunbookCore

struct MatchCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Show which runbook an alert would run, and why.",
        discussion: HelpText.reflow(
            """
            FILE holds an Alertmanager API v2 alert (or a list of them), an Alertmanager
            webhook payload (version 4), or a plain alert with source/severity/status fields.
            The alert's severity comes from the severity label (severity.label in rbx.yaml)
            mapped through the ladder's aliases.

            Exit codes: 0 every alert matched a runbook, 1 some alert matched none,
            2 usage errors, unreadable files or invalid alert JSON.

            Examples:
              rbx match --alert examples/alerts/instance-down.json
              rbx match --alert alert.json --explain
              amtool-style JSON on stdin:  rbx match --alert - < alert.json
            """))

    @Option(help: "The alert JSON file ('-' reads stdin).")
    var alert: String

    @Option(help: "The catalog root (default: the current directory).")
    var catalog: String = "."

    @Flag(help: "Show every runbook with each matcher that passed or failed.")
    var explain = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Print nothing; the exit code says whether every alert matched a runbook.")
    var quiet = false

    @Option(help: "Colour the text: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func execute() async -> CommandOutcome {
        var outcome = await match().quieted(quiet)
        if format == .text, color.enabled { outcome.stdout = MatchHighlight.apply(outcome.stdout) }
        return outcome
    }

    private func match() async -> CommandOutcome {
        var outcome = CommandOutcome()
        let data: Data?
        if alert == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: alert)
        }
        guard let data else {
            outcome.stderr = "rbx match: \(alert): cannot read file\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        let loaded: Catalog
        do {
            loaded = try await CatalogLoader.load(directory: catalog)
        } catch {
            outcome.stderr = "rbx match: \(error)\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        if loaded.diagnostics.errorCount > 0 {
            outcome.stderr =
                "rbx match: warning: the catalog has \(loaded.diagnostics.errorCount) lint errors; run rbx lint. Runbooks that failed to load are not considered.\n"
        }
        let alerts: [Alert]
        do {
            alerts = try AlertDecoder.decode([UInt8](data), config: loaded.config)
        } catch {
            outcome.stderr += "rbx match: \(alert): \(error)\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        let results = alerts.map { RunbookMatcher.match($0, in: loaded) }
        outcome.stdout = format == .json ? MatchReport.json(results) : MatchReport.text(results, explain: explain)
        outcome.exitCode = results.allSatisfy { $0.selected != nil } ? RbxExit.ok : RbxExit.failed
        return outcome
    }
}
