import ArgumentParser
import Foundation
import Logging
import RunbookCore
import RunbookServer

struct DoctorCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check this machine for what the catalog needs before an alert does.",
        discussion: HelpText.reflow(
            """
            Lint says whether the catalog is right; doctor says whether this machine can run it:
            every program a step runs is installed (looked up in the PATH steps get: rbx's
            environment filtered by env.allow, or a step's own env PATH), every ${SECRET} the
            catalog references is set (NAME or NAME_FILE), the store opens (a new SQLite store
            is created and migrated, as rbx serve would), and with --network every webhook
            notifier answers and every Prometheus is ready. Each problem names the file and line
            that needs it.

            Run it where rbx serve runs, as the user it runs as, with its environment.

            Exit codes: 0 nothing missing, 1 problems found, 2 usage errors or a catalog with
            lint errors (rbx lint).

            Examples:
              rbx doctor                       the catalog in the current directory
              rbx doctor --catalog /etc/rbx --network
              rbx doctor --format json
            """))

    @Option(help: "The catalog root (default: the current directory).")
    var catalog: String = "."

    @Flag(help: "Also contact every webhook notifier and Prometheus server (5 s each at most).")
    var network = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Print only problems; nothing when there are none (the exit code says the rest).")
    var quiet = false

    @Option(help: "Colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func execute() async -> CommandOutcome {
        let loaded: Catalog
        do {
            loaded = try await CatalogLoader.load(directory: catalog)
        } catch {
            return CommandOutcome(stdout: "", stderr: "rbx doctor: \(error)\n", exitCode: RbxExit.usage)
        }
        if let refusal = loaded.lintRefusal {
            return CommandOutcome(stdout: "", stderr: "rbx doctor: \(refusal)\n", exitCode: RbxExit.usage)
        }
        var logger = Logger(label: "rbx.doctor")
        logger.logLevel = .error
        let report = await Doctor.check(
            catalog: loaded, directory: catalog, environment: ProcessInfo.processInfo.environment, network: network,
            logger: logger)
        return CommandOutcome(
            stdout: format == .json
                ? report.json()
                : color.enabled ? ReportHighlight.apply(report.text(quiet: quiet)) : report.text(quiet: quiet),
            stderr: "",
            exitCode: report.healthy ? RbxExit.ok : RbxExit.failed)
    }
}
