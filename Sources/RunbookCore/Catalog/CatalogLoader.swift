import Foundation
import RunbookYAML
import Synchronization

/// Loads a catalog directory: `rbx.yaml`, `runbooks/`, `playbooks/`, `templates/`.
///
/// Files are parsed and decoded in parallel (one task per core, each over a slice of the
/// files), because the YAML work dominates and is independent per file. Loading never
/// throws for a bad file: the problem becomes a diagnostic and the other files still load.
public enum CatalogLoader {
    /// Loads and lints a catalog.
    ///
    /// - Parameters:
    ///   - directory: the catalog root, as the user wrote it (diagnostics print paths
    ///     relative to it, like a compiler does).
    ///   - keepRunbooks: false to lint without keeping runbooks in memory afterwards (the
    ///     catalog then lists only their names): `rbx lint` of 20,000 runbooks stays small.
    ///   - progress: told `(done, total)` as runbook files are read and linted, the slow part
    ///     on a large catalog, so a command can show progress.
    /// - Throws: ``CatalogLoadError`` only when the directory itself cannot be read.
    public static func load(
        directory: String, keepRunbooks: Bool = true,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async throws(CatalogLoadError) -> Catalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CatalogLoadError(message: "\(directory): no such directory; pass the catalog root with --catalog DIR")
        }
        var catalog = Catalog(root: directory)
        let regexes = RegexCache()
        loadConfig(directory: directory, into: &catalog)
        let config = catalog.config

        // Playbooks and templates first: every runbook is linted against them.
        let playbookFiles = yamlFiles(under: join(directory, "playbooks"))
        for document in await decodeInParallel(
            playbookFiles, isRunbook: false, config: config, linting: nil, keepRunbooks: true, regexes: regexes)
        {
            catalog.add(document)
            if let playbook = document.playbook { catalog.playbooks.append(playbook) }
        }
        loadTemplates(directory: join(directory, "templates"), into: &catalog)

        let tables = LintTables(
            config: config, playbooks: catalog.playbooks, templateNames: Set(catalog.templates.map(\.name)))
        let runbookFiles = yamlFiles(under: join(directory, "runbooks"))
        let runbookDocuments = await decodeInParallel(
            runbookFiles, isRunbook: true, config: config, linting: tables, keepRunbooks: keepRunbooks,
            regexes: regexes,
            progress: progress)
        var handoffs: [(from: String, to: Located<String>)] = []
        for document in runbookDocuments {
            catalog.add(document)
            if let name = document.runbookName {
                catalog.runbookNames.append(name)
                handoffs += document.handoffs.map { (name.value, $0) }
            }
            if let runbook = document.runbook { catalog.runbooks.append(runbook) }
        }
        var linter = tables.linter(regexes: regexes)
        catalog.diagnostics += linter.lintCatalogWide(
            runbookNames: catalog.runbookNames, handoffs: handoffs, templates: catalog.templates)
        catalog.diagnostics = WarningSuppression.apply(to: catalog.diagnostics)
        return catalog
    }

    /// Decodes and lints one runbook held in memory, as ``load(directory:keepRunbooks:)`` does
    /// each file under `runbooks/`, in a catalog with no playbooks or templates.
    ///
    /// For the fuzzer (`scripts/fuzz`), which feeds it millions of documents: writing each to a
    /// catalog directory first would make the disk, not the decoder, what gets exercised.
    /// - Parameter path: the name diagnostics give the document; nothing is read from it.
    public static func decodeRunbook(
        _ bytes: [UInt8], path: String, config: CatalogConfig = CatalogConfig()
    ) -> (runbook: Runbook?, diagnostics: [Diagnostic]) {
        let regexes = RegexCache()
        var decoder = DocumentDecoder(file: path, source: bytes, ladder: config.severity, regexes: regexes)
        guard let root = parseDocument(bytes, path: path, into: &decoder) else { return (nil, decoder.diagnostics) }
        let runbook = decoder.runbook(root)
        var diagnostics = decoder.diagnostics
        if let runbook {
            var linter = LintTables(config: config, playbooks: [], templateNames: []).linter(regexes: regexes)
            diagnostics += linter.lintRunbook(runbook)
        }
        return (runbook, WarningSuppression.apply(to: diagnostics))
    }

    /// What every runbook is linted against; each task makes its own ``CatalogLinter`` from it.
    struct LintTables: Sendable {
        var config: CatalogConfig
        var playbooks: [Playbook]
        var templateNames: Set<String>

        func linter(regexes: RegexCache) -> CatalogLinter {
            CatalogLinter(config: config, playbooks: playbooks, templateNames: templateNames, regexes: regexes)
        }
    }

    struct DecodedDocument: Sendable {
        var runbook: Runbook? {
            get { boxedRunbook?.value }
            set { boxedRunbook = newValue.map(Boxed.init) }
        }
        var runbookName: Located<String>?
        /// The runbook's `handoff:` targets, kept for the catalog-wide check when the runbook
        /// itself is not.
        var handoffs: [Located<String>] = []
        var playbook: Playbook? {
            get { boxedPlaybook?.value }
            set { boxedPlaybook = newValue.map(Boxed.init) }
        }
        var diagnostics: [Diagnostic]
        var byteCount: Int
        /// The runbook and playbook are boxed (``Boxed``): a runbook is over a kilobyte, and
        /// documents are moved from array to array as the workers hand them back, most of them
        /// (in a lint) with the runbook already dropped.
        private var boxedRunbook: Boxed<Runbook>?
        private var boxedPlaybook: Boxed<Playbook>?

        init(diagnostics: [Diagnostic], byteCount: Int) {
            self.diagnostics = diagnostics
            self.byteCount = byteCount
        }
    }

    private static func loadConfig(directory: String, into catalog: inout Catalog) {
        guard
            let path = ["rbx.yaml", "rbx.yml"].map({ join(directory, $0) }).first(where: {
                FileManager.default.fileExists(atPath: $0)
            })
        else {
            return
        }
        guard let bytes = catalog.read(path) else { return }
        var decoder = DocumentDecoder(file: path, source: bytes, ladder: .standard)
        if let root = parseDocument(bytes, path: path, into: &decoder) {
            catalog.config = decoder.config(root)
        }
        catalog.diagnostics += decoder.diagnostics
    }

    /// Decodes files on every core. Workers take small chunks of files from a shared counter
    /// until none are left, so one slow chunk cannot leave the other core idle; each worker
    /// has its own linter. Results come back in file order.
    private static func decodeInParallel(
        _ files: [String], isRunbook: Bool, config: CatalogConfig, linting tables: LintTables?, keepRunbooks: Bool,
        regexes: RegexCache, progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) async -> [DecodedDocument] {
        let chunkSize = 16
        let chunkCount = (files.count + chunkSize - 1) / chunkSize
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, chunkCount))
        let counter = ChunkCounter()
        return await withTaskGroup(of: [(Int, [DecodedDocument])].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var linter = tables?.linter(regexes: regexes)
                    var done: [(Int, [DecodedDocument])] = []
                    while true {
                        let chunk = counter.take()
                        guard chunk < chunkCount else { break }
                        let range = chunk * chunkSize..<min(files.count, (chunk + 1) * chunkSize)
                        let documents = files[range].map { path in
                            var document = decode(
                                path: path, isRunbook: isRunbook, ladder: config.severity, regexes: regexes)
                            if let runbook = document.runbook {
                                document.runbookName = runbook.metadata.name
                                document.handoffs = runbook.handoffTargets
                                if let findings = linter?.lintRunbook(runbook) { document.diagnostics += findings }
                                // Dropped here, in the worker, so a lint-only load never holds them all.
                                if !keepRunbooks { document.runbook = nil }
                            }
                            return document
                        }
                        done.append((chunk, documents))
                        if let progress { progress(counter.finished(range.count), files.count) }
                    }
                    return done
                }
            }
            var results = [[DecodedDocument]](repeating: [], count: chunkCount)
            for await finished in group {
                for (chunk, documents) in finished { results[chunk] = documents }
            }
            return results.flatMap { $0 }
        }
    }

    static func decode(path: String, isRunbook: Bool, ladder: SeverityLadder, regexes: RegexCache) -> DecodedDocument {
        let file = readFile(path)
        if let problem = file.problem {
            return DecodedDocument(diagnostics: [problem], byteCount: 0)
        }
        var decoder = DocumentDecoder(file: path, source: file.bytes, ladder: ladder, regexes: regexes)
        var document = DecodedDocument(diagnostics: [], byteCount: file.bytes.count)
        if let root = parseDocument(file.bytes, path: path, into: &decoder) {
            if isRunbook {
                document.runbook = decoder.runbook(root)
            } else {
                document.playbook = decoder.playbook(root)
            }
        }
        document.diagnostics = decoder.diagnostics
        return document
    }

    /// Parses YAML into a root mapping, reporting parse errors and non-mapping documents.
    static func parseDocument(
        _ bytes: [UInt8], path: String, into decoder: inout DocumentDecoder
    ) -> RunbookYAML.YAMLNode? {
        let root: RunbookYAML.YAMLNode?
        do {
            root = try YAMLParser.parse(bytes, file: path)
        } catch {
            decoder.diagnostics.append(Diagnostic(error))
            return nil
        }
        guard let root, !(root.scalar?.isNull ?? false) else {
            decoder.error(
                "empty-document", "file is empty; expected a mapping with apiVersion and kind",
                at: SourceLocation(file: path, line: 1, column: 1))
            return nil
        }
        guard root.mapping != nil else {
            decoder.error(
                "not-a-mapping", "expected a mapping with apiVersion and kind, found \(root.kindDescription)",
                at: root.location)
            return nil
        }
        return root
    }

    private static func loadTemplates(directory: String, into catalog: inout Catalog) {
        for path in files(under: directory, extensions: ["mustache"]) {
            guard let bytes = catalog.read(path) else { continue }
            let name = String(path.dropFirst(directory.count + 1).dropLast(".mustache".count))
            guard let text = String(validating: bytes, as: UTF8.self) else {
                catalog.diagnostics.append(
                    .error(
                        "invalid-utf8", "template \"\(name)\" is not valid UTF-8",
                        at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            do {
                catalog.templates.append(try MessageTemplate(name: name, file: path, text: text))
            } catch {
                catalog.diagnostics.append(error)
            }
        }
    }
}

/// Hands out chunk numbers to the loading tasks, each number once.
private final class ChunkCounter: Sendable {
    private let next = Atomic<Int>(0)
    private let done = Atomic<Int>(0)

    func take() -> Int {
        next.wrappingAdd(1, ordering: .relaxed).oldValue
    }

    /// Counts `count` more files finished; returns how many are.
    func finished(_ count: Int) -> Int {
        done.wrappingAdd(count, ordering: .relaxed).newValue
    }
}

/// The catalog directory itself could not be read.
public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
