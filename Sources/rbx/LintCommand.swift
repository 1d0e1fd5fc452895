public import ArgumentParser
import Foundation
import RunbookCore
import RunbookYAML

extension DiagnosticRenderer.Format: ExpressibleByArgument {}

struct LintCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check a catalog: schema, types, references, ordering and risk.",
        discussion: """
            Reports every problem as path:line:column: error|warning: message [code].
            The whole catalog is always loaded (references cross files); PATHs limit the
            report to those files or directories. A single directory PATH is taken as the
            catalog when --catalog is not given.

            Silence a warning with a comment on its line or the line above:
              # rbx-lint: ignore=shell-step

            Exit codes: 0 no errors (warnings allowed unless --strict), 1 problems found,
            2 usage or I/O errors.

            Examples:
              rbx lint                          lint the catalog in the current directory
              rbx lint --catalog ops/runbooks   lint another catalog
              rbx lint runbooks/disk.yaml       report only one file's problems
              rbx lint --format github          annotations for GitHub Actions
            """)

    @Argument(help: "Files or directories to report on (default: the whole catalog).")
    var paths: [String] = []

    @Option(help: "The catalog root (default: the current directory).")
    var catalog: String?

    @Option(help: "Output format: text, json, github or sarif.")
    var format: DiagnosticRenderer.Format = .text

    @Flag(help: "Treat warnings as problems (exit 1).")
    var strict = false

    @Flag(name: .shortAndLong, help: "Print only problems; nothing when there are none (the exit code says the rest).")
    var quiet = false

    @Option(help: "Colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never.")
    var color: ColorChoice = .auto

    func execute() async -> CommandOutcome {
        var outcome = CommandOutcome()
        var root = catalog ?? "."
        var filters = paths
        if catalog == nil, paths.count == 1, isDirectory(paths[0]), isCatalogRoot(paths[0]) {
            root = paths[0]
            filters = []
        }
        for path in filters where !FileManager.default.fileExists(atPath: path) {
            outcome.stderr = "rbx lint: \(path): no such file or directory\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        let loaded: Catalog
        do {
            let progress = TerminalProgress("linting runbooks", enabled: !quiet && isatty(2) == 1)
            defer { progress.finish() }
            loaded = try await CatalogLoader.load(directory: root, keepRunbooks: false, progress: progress.update)
        } catch {
            outcome.stderr = "rbx lint: \(error)\n"
            outcome.exitCode = RbxExit.usage
            return outcome
        }
        let shown = loaded.diagnostics.filter { diagnostic in
            filters.isEmpty || filters.contains { covers($0, diagnostic.location.file, root: root) }
        }
        outcome.stdout = DiagnosticRenderer.render(
            shown, format: format, summary: LintSummary(catalog: loaded, shown: shown), quiet: quiet)
        if format == .text, color.enabled { outcome.stdout = ReportHighlight.apply(outcome.stdout) }
        let failed = shown.errorCount > 0 || (strict && shown.warningCount > 0)
        outcome.exitCode = failed ? RbxExit.failed : RbxExit.ok
        return outcome
    }

    private func isDirectory(_ path: String) -> Bool {
        var directory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
    }

    private func isCatalogRoot(_ path: String) -> Bool {
        ["rbx.yaml", "rbx.yml", "runbooks", "playbooks"].contains {
            FileManager.default.fileExists(atPath: path + "/" + $0)
        }
    }

    /// Whether a diagnostic's file lies under a PATH the user named.
    private func covers(_ filter: String, _ file: String, root: String) -> Bool {
        let normalizedFilter = URL(fileURLWithPath: filter).standardizedFileURL.path
        let normalizedFile = URL(fileURLWithPath: file).standardizedFileURL.path
        return normalizedFile == normalizedFilter
            || normalizedFile.hasPrefix(normalizedFilter.hasSuffix("/") ? normalizedFilter : normalizedFilter + "/")
    }
}
