import ArgumentParser
import Foundation
import RunbookReview

struct TestCommand: OutcomeCommand {
    static let executesSteps = true
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the catalog's runbook unit tests in virtual time and report coverage.",
        discussion: HelpText.reflow(
            """
            A test file (tests/*.yaml, kind: RunbookTest) gives an alert, assumed step outcomes,
            acks and resolves at virtual times, and what must happen: which runbook matched,
            which steps ran or were skipped, a step's rendered argv, every escalation page and
            when, status messages containing a text, the final outcome. Each test is routed like
            rbx serve routes and drilled like rbx drill drills: nothing is executed.

            Failures print as path:line:column of the expectation, with expected and got.
            Coverage lists what no test exercised: steps, both outcomes of each when guard, and
            escalation rungs. The file format is in docs/review.md.

            Exit codes: 0 every test passed, 1 a test failed or a test file (or the catalog)
            has errors, 2 usage errors (no such catalog).

            Examples:
              rbx test                          the tests in ./tests against the catalog in .
              rbx test tests/instance-down.yaml one file
              rbx test --catalog ops --format json
              rbx test --junit test-results/rbx.xml   also a JUnit report for CI
            """))

    @Argument(help: "Test files or directories (default: the catalog's tests/ directory).")
    var paths: [String] = []

    @Option(help: "The catalog root (default: the current directory).")
    var catalog: String = "."

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "List coverage of every runbook, not only those with gaps.")
    var verbose = false

    @Option(
        help: ArgumentHelp(
            "Also write the results as JUnit XML to this file, for CI test reports.", valueName: "file"))
    var junit: String?

    @Flag(name: .shortAndLong, help: "Print only problems; nothing when there are none (the exit code says the rest).")
    var quiet = false

    @Option(help: "Colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func execute() async -> CommandOutcome {
        do {
            let progress = TerminalProgress("running tests")
            let report = try await RunbookTestRunner.run(
                catalogDirectory: catalog, paths: paths, progress: progress.update)
            progress.finish()
            if let junit {
                let xml = report.junit(timestamp: Date(), hostname: ProcessInfo.processInfo.hostName)
                do {
                    try xml.write(toFile: junit, atomically: true, encoding: .utf8)
                } catch {
                    return CommandOutcome(
                        stdout: "",
                        stderr: "rbx test: cannot write the JUnit report \(junit): \(error.localizedDescription)\n",
                        exitCode: RbxExit.usage)
                }
            }
            return CommandOutcome(
                stdout: format == .json
                    ? report.json() : highlighted(quiet ? report.failuresText() : report.text(verbose: verbose)),
                stderr: "",
                exitCode: report.passed ? RbxExit.ok : RbxExit.failed)
        } catch {
            return CommandOutcome(stdout: "", stderr: "rbx test: \(error)\n", exitCode: RbxExit.usage)
        }
    }

    private func highlighted(_ text: String) -> String { color.enabled ? ReportHighlight.apply(text) : text }
}
