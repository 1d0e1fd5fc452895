public import ArgumentParser
import Foundation
import RunbookCore
import RunbookReview
import RunbookYAML

extension DiffRenderer.Format: ExpressibleByArgument {}

struct DiffCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Say what a catalog change alters when alerts fire: routing, steps, escalation, messages.",
        discussion: """
            BASE and HEAD are git revisions of the catalog's repository or two directories; HEAD
            defaults to the catalog as it is now (the work tree). Both sides are loaded and
            compared as catalogs, so reordered keys, comments, quoting and anchors change
            nothing. Reported, with file:line on both sides and a risk level:
              routing     alerts that now run a different runbook (or none), found by routing
                          the catalog's example and test alerts and alerts made up from the
                          changed matchers through both catalogs
              steps       added, removed, reordered; argv, kind, when, until, timeout, retries
              playbook    a playbook's change, in every runbook that calls it
              escalation  who is paged when ("team-lead is now paged after 30m instead of 15m")
              status      status messages, and their rendered text for a sample alert
              config      rbx.yaml: severity ladder, defaults, notifiers

            Exit codes: 0 compared (with --exit-code: no behaviour change), 1 with --exit-code:
            behaviour changed, 2 usage errors, an unknown revision, or a side that fails lint.

            Examples:
              rbx diff main                        what this branch changes, vs main
              rbx diff HEAD~1 HEAD --format markdown > comment.md
              rbx diff old-catalog/ new-catalog/ --exit-code
              rbx diff origin/main --catalog ops/runbooks --format json
            """)

    @Argument(help: "The catalog before: a git revision or a directory.")
    var base: String

    @Argument(help: "The catalog after: a git revision or a directory (default: the work tree).")
    var head: String?

    @Option(help: "The catalog root in the work tree (default: the current directory).")
    var catalog: String = "."

    @Option(help: "Output format: text, markdown (a pull-request comment) or json.")
    var format: DiffRenderer.Format = .text

    @Flag(help: "Exit 1 when behaviour changed (for CI gates).")
    var exitCode = false

    @Option(help: "Colour the text format: auto (on a terminal), always or never.")
    var color: ColorChoice = .auto

    private static func snapshot(_ spec: String?, catalog: String) async -> Result<CatalogSnapshot, DiffError> {
        await Task.detached { Result { () throws(DiffError) in try CatalogSnapshot.make(spec, catalog: catalog) } }
            .value
    }

    private static func load(
        _ side: CatalogSnapshot, progress: @escaping @Sendable (Int, Int) -> Void
    ) async -> Result<Catalog, CatalogLoadError> {
        do {
            return .success(try await CatalogLoader.load(directory: side.root, progress: progress))
        } catch {
            return .failure(error)
        }
    }

    func execute() async -> CommandOutcome {
        // Both sides are unpacked and loaded at once: each is mostly waiting on git, tar and
        // file reads, which overlap well.
        async let baseSnapshot = Self.snapshot(base, catalog: catalog)
        async let headSnapshot = Self.snapshot(head, catalog: catalog)
        let (baseSide, headSide) = await (baseSnapshot, headSnapshot)
        defer {
            try? baseSide.get().remove()
            try? headSide.get().remove()
        }
        let sides: (CatalogSnapshot, CatalogSnapshot)
        do {
            sides = (try baseSide.get(), try headSide.get())
        } catch {
            return CommandOutcome(stderr: "rbx diff: \(error)\n", exitCode: RbxExit.usage)
        }
        let loading = TerminalProgress("loading both catalogs")
        let tally = ProgressTally(loading)
        async let baseCatalog = Self.load(sides.0, progress: tally.part(0))
        async let headCatalog = Self.load(sides.1, progress: tally.part(1))
        let results = [(sides.0, await baseCatalog), (sides.1, await headCatalog)]
        loading.finish()
        var loaded: [Catalog] = []
        for (side, result) in results {
            do {
                let catalog = try result.get()
                if catalog.hasErrors {
                    let errors = catalog.diagnostics.filter { $0.severity == .error }.sortedByLocation().prefix(20)
                    let shown = errors.map {
                        "  \(DiffRenderer.relative($0.location.file, to: side.root)):\($0.location.line):\($0.location.column): \($0.message)"
                    }
                    return CommandOutcome(
                        stderr: "rbx diff: the catalog at \(side.label) does not lint; fix these first:\n"
                            + shown.joined(separator: "\n") + "\n",
                        exitCode: RbxExit.usage)
                }
                loaded.append(catalog)
            } catch {
                return CommandOutcome(stderr: "rbx diff: \(side.label): \(error)\n", exitCode: RbxExit.usage)
            }
        }
        let comparing = TerminalProgress("comparing runbooks")
        let report = await CatalogDiffer(base: loaded[0], head: loaded[1]).diff(
            baseLabel: sides.0.label, headLabel: sides.1.label, progress: comparing.update)
        comparing.finish()
        return CommandOutcome(
            stdout: DiffRenderer.render(report, format: format, color: color.enabled),
            exitCode: exitCode && report.changed ? RbxExit.failed : RbxExit.ok)
    }
}
