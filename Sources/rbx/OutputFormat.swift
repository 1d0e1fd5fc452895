import ArgumentParser

/// `--format text|json`, the one output flag of every command that reports; `--json` is kept as
/// an alias for the commands that had it (`run`, `drill`, `runs`), so scripts keep working.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The output options of `run`, `drill` and `runs`.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(help: "The same as --format json.")
    var json = false

    var wantsJSON: Bool { json || format == .json }
}
