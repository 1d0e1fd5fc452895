import ArgumentParser
import RunbookCore
import RunbookReview

struct DocsCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "docs",
        abstract: "Render the catalog as Markdown and HTML pages for an on-call wiki.",
        discussion: HelpText.reflow(
            """
            Writes index.md (runbooks by alert name and by severity), a page per
            runbook (matchers, a Mermaid flow diagram, steps, escalation ladder,
            status messages rendered for a sample alert), a page per playbook
            under playbooks/, and the same pages as standalone HTML under html/.
            Every item cites its YAML as file:line.

            The sample alert is the first file in examples/alerts/ that routes to
            the runbook, else one made up from its matchers. Messages come from
            drills in virtual time: nothing is executed or sent.

            Output is deterministic (sorted, no timestamps): commit it and review
            the diff. Pages rbx generated earlier for runbooks that are gone are
            removed; other files in DIR are left alone. A catalog with lint
            errors is reported like rbx lint does and nothing is written.

            Exit codes: 0 written, 1 the catalog has lint errors, 2 usage or I/O
            errors.

            Examples:
              rbx docs                              this catalog into ./catalog-docs
              rbx docs --catalog ops/runbooks --out site
              rbx docs --source-url https://github.com/acme/runbooks/blob/main/
            """))

    @Option(help: ArgumentHelp("The catalog root.", valueName: "DIR"))
    var catalog: String = "."

    @Option(help: ArgumentHelp("Where to write the pages, relative to the current directory.", valueName: "DIR"))
    var out: String = "catalog-docs"

    @Option(
        help: ArgumentHelp(
            "Link file:line citations to this URL prefix (file and #L<line> are appended).", valueName: "URL"))
    var sourceURL: String?

    func validate() throws {
        if let sourceURL, !(sourceURL.hasPrefix("https://") || sourceURL.hasPrefix("http://")) {
            throw ValidationError(
                "--source-url \(sourceURL): write an http(s) URL, e.g. https://github.com/acme/runbooks/blob/main/")
        }
    }

    @Flag(name: .shortAndLong, help: "Print nothing when the pages are written; errors still go to standard error.")
    var quiet = false

    func execute() async -> CommandOutcome {
        await generate().quieted(quiet)
    }

    private func generate() async -> CommandOutcome {
        var outcome = CommandOutcome()
        let result: DocsGeneration.Result
        do {
            let progress = TerminalProgress("rendering runbook pages", quiet: quiet)
            defer { progress.finish() }
            result = try await DocsGeneration.generate(
                catalog: catalog, out: out, sourceURL: sourceURL, progress: progress.update)
        } catch {
            outcome.stderr = "rbx docs: \(error)\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        switch result {
        case .lintErrors(let loaded):
            let summary = LintSummary(catalog: loaded, shown: loaded.diagnostics)
            outcome.stderr =
                DiagnosticRenderer.render(loaded.diagnostics, format: .text, summary: summary)
                + "rbx docs: the catalog has lint errors (see rbx lint); nothing written\n"
            outcome.exitCode = RbxExit.failed
        case .written(let documentation, _):
            func pages(_ count: Int, _ kind: String) -> String { "\(count) \(kind) page\(count == 1 ? "" : "s")" }
            outcome.stdout =
                "wrote \(pages(documentation.runbookCount, "runbook")), \(pages(documentation.playbookCount, "playbook")), index.md and html/ to \(out)\n"
        }
        return outcome
    }
}
