import ArgumentParser

/// The arguments `rbx run` and `rbx drill` share.
struct RunArguments: ParsableArguments {
    @Argument(help: "The runbook (default: the one the alert matches).", completion: CatalogCompletion.runbooks)
    var runbook: String?

    @Option(
        help: ArgumentHelp(
            "The alert JSON file ('-' reads stdin). Leave it out to run a scheduled runbook or check for its tick.",
            valueName: "FILE"),
        completion: .file(extensions: ["json"]))
    var alert: String?

    @Option(help: "The catalog root (default: the current directory).", completion: .directory)
    var catalog: String = "."

    @Option(help: "Where to write the evidence bundle (default: evidence.dir of rbx.yaml).")
    var evidenceDir: String?

    @Flag(help: "Do not write an evidence bundle.")
    var noEvidence = false

    /// `--format json` (or `--json`) prints a JSON summary instead of the timeline.
    @OptionGroup var output: OutputOptions

    @Flag(
        name: .shortAndLong,
        help: "Print nothing on standard output; errors still go to standard error, the exit code says how it ended.")
    var quiet = false

    var support: RunSupport {
        RunSupport(
            catalog: catalog, runbook: runbook, alertPath: alert, evidenceDirectory: evidenceDir,
            writeEvidence: !noEvidence, json: output.wantsJSON)
    }
}
