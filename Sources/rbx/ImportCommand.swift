import ArgumentParser
import Foundation
import RunbookReview

struct ImportCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn Markdown runbooks into runbook skeletons, status templates and a review list.",
        discussion: """
            Each section of a Markdown runbook with an **Alert:** field (or shell code blocks)
            becomes runbooks/<alert-name>.yaml under --out: it matches the alert name and its
            **Severity:** (P1/P2, critical/warning, ...), has one step per command of its code
            blocks (run: [argv] for plain commands, shell: for pipes, variables, redirects), an
            approval before every destructive command (rm, restart, kill, DROP, scale to 0, ...),
            an escalation ladder from sentences like "After 15 minutes, page the team lead", and
            the section's communication template as templates/<name>-status.mustache.

            Everything guessed is listed in the report (and in each file's header): shell steps,
            guessed severities and notifiers, sentences not understood, template placeholders.
            The files lint without errors (rbx lint); review them before the first real alert.
            Paging targets are looked up in --out's rbx.yaml; without one, an rbx.yaml with a
            placeholder notifier per target is written.

            Exit codes: 0 imported (even with items to review), 1 no runbook found in the
            input, 2 usage or input errors (unreadable or oversized file, files that already
            exist without --force).

            Examples:
              rbx import docs/oncall/servers.md --out .        into this catalog
              rbx import *.md --out imported --dry-run         the report only, nothing written
              rbx import servers.md --out . --format json      the report as JSON
              rbx import servers.md --out . --force && rbx lint
            """)

    @Argument(help: ArgumentHelp("Markdown runbooks to import.", valueName: "file.md"))
    var files: [String]

    @Option(help: "The catalog directory to write into (default: the current directory).")
    var out: String = "."

    @Flag(help: "Overwrite files that already exist.")
    var force = false

    @Flag(help: "Print the report without writing anything.")
    var dryRun = false

    @OptionGroup var output: OutputOptions

    @Flag(name: .shortAndLong, help: "Print only the items to review.")
    var quiet = false

    @Option(help: "Colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func validate() throws {
        if files.isEmpty { throw ValidationError("Name at least one Markdown file.") }
    }

    func execute() async -> CommandOutcome {
        let report: ImportReport
        do {
            report = try await MarkdownImport.run(files: files, outputDirectory: out, force: force, dryRun: dryRun)
        } catch {
            let exit = error.code == .noSections ? RbxExit.failed : RbxExit.usage
            return CommandOutcome(stdout: "", stderr: "rbx import: \(error)\n", exitCode: exit)
        }
        if output.wantsJSON { return CommandOutcome(stdout: report.json()) }
        let text = report.text(quiet: quiet)
        return CommandOutcome(stdout: color.enabled ? ReportHighlight.apply(text) : text)
    }
}
