import Foundation
public import RunbookCore

/// `rbx import`: Markdown runbooks in, runbook skeletons, status templates and a report out.
///
/// ```swift
/// let report = try await MarkdownImport.run(files: ["docs/oncall/servers.md"], outputDirectory: ".")
/// print(report.text())
/// ```
///
/// Writes `runbooks/<name>.yaml` and `templates/<name>-status.mustache` under the output
/// directory, and an `rbx.yaml` with placeholder notifiers when the directory has none and the
/// escalation prose pages someone. Names come from the alert (`InstanceDown` → `instance-down`).
public enum MarkdownImport {
    public struct Plan: Sendable {
        /// Relative path → contents.
        public var files: [(path: String, contents: String)] = []
        public var report = ImportReport()
    }

    /// Plans the files for documents already read, against the output catalog's configuration
    /// (nil when it has no `rbx.yaml`).
    public static func plan(_ documents: [MarkdownRunbookDocument], config: CatalogConfig?) -> Plan {
        var plan = Plan()
        let builder = RunbookSkeletonBuilder(
            ladder: config?.severity ?? .standard,
            notifiers: NotifierResolver(declared: config?.notifiers.map(\.name.value) ?? []),
            declaresNotifiers: config == nil)
        var names: Set<String> = []
        var newNotifiers: [String] = []
        for document in documents {
            let source = (document.file as NSString).lastPathComponent
            for section in MarkdownSectionSplitter.sections(of: document) {
                guard let built = builder.build(section) else {
                    plan.report.skipped.append(
                        ImportReviewItem(
                            .noSteps, file: document.file, line: section.line,
                            "section \"\(section.title)\" has no Alert: field and no commands"))
                    continue
                }
                var skeleton = built.skeleton
                let notifiers = built.newNotifiers
                let base = skeleton.name
                var number = 2
                while names.contains(skeleton.name) {
                    skeleton.name = "\(base.prefix(60))-\(number)"
                    number += 1
                }
                if skeleton.name != base {
                    skeleton.review.append(
                        ImportReviewItem(
                            .renamed, file: document.file, line: section.line,
                            "another section already makes \(base); this one is \(skeleton.name)"))
                }
                names.insert(skeleton.name)
                newNotifiers += notifiers.filter { !newNotifiers.contains($0) }
                add(skeleton, source: source, to: &plan)
            }
        }
        if config == nil, !newNotifiers.isEmpty {
            plan.files.append((path: "rbx.yaml", contents: configYAML(notifiers: newNotifiers)))
            plan.report.files.append("rbx.yaml")
        }
        return plan
    }

    private static func add(_ skeleton: RunbookSkeleton, source: String, to plan: inout Plan) {
        let runbookPath = "runbooks/\(skeleton.name).yaml"
        plan.files.append((path: runbookPath, contents: RunbookSkeletonWriter.yaml(skeleton, source: source)))
        plan.report.files.append(runbookPath)
        var templatePath: String?
        if let name = skeleton.templateName, let text = skeleton.template {
            templatePath = "templates/\(name).mustache"
            plan.files.append((path: templatePath!, contents: text))
            plan.report.files.append(templatePath!)
        }
        let steps = skeleton.steps
        plan.report.runbooks.append(
            ImportReport.Runbook(
                name: skeleton.name, title: skeleton.title, source: "\(skeleton.file):\(skeleton.line)",
                alert: skeleton.alertName, severity: skeleton.severity?.level, file: runbookPath,
                template: templatePath,
                steps: steps.count,
                argvSteps: steps.filter { if case .run = $0.action { true } else { false } }.count,
                shellSteps: steps.filter { if case .shell = $0.action { true } else { false } }.count,
                approvals: steps.filter { $0.kind == .approval }.count,
                rungs: skeleton.rungs.filter { !$0.disabled }.count, review: skeleton.review))
    }

    static func configYAML(notifiers: [String]) -> String {
        var out = [
            "# yaml-language-server: $schema=./schema/rbx.schema.json",
            "# Written by `rbx import`: a placeholder notifier for each paging target the Markdown",
            "# escalation named. Each only appends its pages to a file: replace it with the real pager",
            "# (type: webhook, url: …) before the first real alert.",
            "apiVersion: rbx/v1",
            "kind: Config",
            "notifiers:",
        ]
        for name in notifiers {
            out += ["  \(name):", "    type: file", "    path: var/pages/\(name).log"]
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Reads the files, plans against `outputDirectory`'s `rbx.yaml` and writes (unless
    /// `dryRun`).
    /// - Throws: ``ImportError``: a file unreadable, too large or not UTF-8 (nothing is written
    ///   then); `noSections` when no file holds a runbook; `exists` when a file to write exists
    ///   and `force` is false (nothing is written); `unwritable`.
    public static func run(
        files: [String], outputDirectory: String, force: Bool = false, dryRun: Bool = false
    ) async throws(ImportError) -> ImportReport {
        var documents: [MarkdownRunbookDocument] = []
        for file in files { documents.append(try MarkdownRunbookDocument.read(path: file)) }
        let config = await existingConfig(outputDirectory)
        var plan = Self.plan(documents, config: config)
        plan.report.dryRun = dryRun
        guard !plan.report.runbooks.isEmpty else {
            throw ImportError(
                .noSections, "no runbook found: no section has an Alert: field or a shell code block",
                file: files.first ?? "-")
        }
        if dryRun { return plan.report }
        let manager = FileManager.default
        if !force {
            let existing = plan.files.map { outputDirectory + "/" + $0.path }.filter { manager.fileExists(atPath: $0) }
            if let first = existing.first {
                throw ImportError(
                    .exists,
                    existing.count == 1
                        ? "the file already exists; pass --force to overwrite, or --out another directory"
                        : "\(existing.count) files to write already exist; pass --force to overwrite, or --out another "
                            + "directory",
                    file: first)
            }
        }
        for file in plan.files {
            let path = outputDirectory + "/" + file.path
            do {
                try manager.createDirectory(
                    atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ImportError(.unwritable, "cannot write: \(error.localizedDescription)", file: path)
            }
        }
        return plan.report
    }

    /// The output directory's configuration, or nil when it has no `rbx.yaml` (the importer then
    /// writes one).
    static func existingConfig(_ directory: String) async -> CatalogConfig? {
        guard ["rbx.yaml", "rbx.yml"].contains(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) })
        else { return nil }
        return try? await CatalogLoader.load(directory: directory, keepRunbooks: false).config
    }
}
