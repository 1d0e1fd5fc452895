import Foundation
import RunbookYAML

/// Loads a catalog directory: `rbx.yaml`, `runbooks/`, `playbooks/`, `templates/`.
///
/// Files are parsed and decoded in parallel (one task per core, each over a slice of the
/// files), because the YAML work dominates and is independent per file. Loading never
/// throws for a bad file: the problem becomes a diagnostic and the other files still load.
public enum CatalogLoader {
    /// Loads and lints a catalog.
    ///
    /// - Parameter directory: the catalog root, as the user wrote it (diagnostics print paths
    ///   relative to it, like a compiler does).
    /// - Throws: ``CatalogLoadError`` only when the directory itself cannot be read.
    public static func load(directory: String) async throws(CatalogLoadError) -> Catalog {
        var catalog = try await loadWithoutLint(directory: directory)
        var linter = CatalogLinter(catalog: catalog)
        catalog.diagnostics += linter.lint()
        catalog.diagnostics = WarningSuppression.apply(to: catalog.diagnostics)
        return catalog
    }

    /// Loads a catalog and reports only the problems of decoding (no cross-references).
    public static func loadWithoutLint(directory: String) async throws(CatalogLoadError) -> Catalog {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CatalogLoadError(message: "\(directory): no such directory; pass the catalog root with --catalog DIR")
        }
        var catalog = Catalog(root: directory)
        let configPath = ["rbx.yaml", "rbx.yml"].map { join(directory, $0) }.first { FileManager.default.fileExists(atPath: $0) }
        if let configPath {
            let file = readFile(configPath)
            catalog.fileCount += 1
            catalog.byteCount += file.bytes.count
            if let problem = file.problem {
                catalog.diagnostics.append(problem)
            } else {
                var decoder = DocumentDecoder(file: configPath, source: file.bytes, ladder: .standard)
                if let root = parseDocument(file.bytes, path: configPath, into: &decoder) {
                    catalog.config = decoder.config(root)
                }
                catalog.diagnostics += decoder.diagnostics
            }
        }

        let runbookFiles = yamlFiles(under: join(directory, "runbooks"))
        let playbookFiles = yamlFiles(under: join(directory, "playbooks"))
        let ladder = catalog.config.severity
        let documents = await decodeInParallel(runbookFiles.map { ($0, true) } + playbookFiles.map { ($0, false) }, ladder: ladder)
        for document in documents {
            catalog.fileCount += 1
            catalog.byteCount += document.byteCount
            catalog.diagnostics += document.diagnostics
            if let runbook = document.runbook { catalog.runbooks.append(runbook) }
            if let playbook = document.playbook { catalog.playbooks.append(playbook) }
        }
        loadTemplates(directory: join(directory, "templates"), into: &catalog)
        return catalog
    }

    struct DecodedDocument: Sendable {
        var runbook: Runbook?
        var playbook: Playbook?
        var diagnostics: [Diagnostic]
        var byteCount: Int
    }

    private static func decodeInParallel(_ files: [(path: String, isRunbook: Bool)], ladder: SeverityLadder) async -> [DecodedDocument] {
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, files.count / 64 + 1))
        let chunkSize = (files.count + workers - 1) / max(workers, 1)
        return await withTaskGroup(of: (Int, [DecodedDocument]).self) { group in
            for worker in 0..<workers {
                let slice = Array(files[min(files.count, worker * chunkSize)..<min(files.count, (worker + 1) * chunkSize)])
                group.addTask {
                    (worker, slice.map { decode(path: $0.path, isRunbook: $0.isRunbook, ladder: ladder) })
                }
            }
            var results = [[DecodedDocument]](repeating: [], count: workers)
            for await (worker, documents) in group { results[worker] = documents }
            return results.flatMap { $0 }
        }
    }

    static func decode(path: String, isRunbook: Bool, ladder: SeverityLadder) -> DecodedDocument {
        let file = readFile(path)
        if let problem = file.problem {
            return DecodedDocument(diagnostics: [problem], byteCount: 0)
        }
        var decoder = DocumentDecoder(file: path, source: file.bytes, ladder: ladder)
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
    static func parseDocument(_ bytes: [UInt8], path: String, into decoder: inout DocumentDecoder) -> RunbookYAML.YAMLNode? {
        let root: RunbookYAML.YAMLNode?
        do {
            root = try YAMLParser.parse(bytes, file: path)
        } catch {
            decoder.diagnostics.append(Diagnostic(error))
            return nil
        }
        guard let root, !(root.scalar?.isNull ?? false) else {
            decoder.error("empty-document", "file is empty; expected a mapping with apiVersion and kind", at: SourceLocation(file: path, line: 1, column: 1))
            return nil
        }
        guard root.mapping != nil else {
            decoder.error("not-a-mapping", "expected a mapping with apiVersion and kind, found \(root.kindDescription)", at: root.location)
            return nil
        }
        return root
    }

    private static func loadTemplates(directory: String, into catalog: inout Catalog) {
        for path in files(under: directory, extensions: ["mustache"]) {
            let file = readFile(path)
            catalog.fileCount += 1
            catalog.byteCount += file.bytes.count
            if let problem = file.problem {
                catalog.diagnostics.append(problem)
                continue
            }
            let name = String(path.dropFirst(directory.count + 1).dropLast(".mustache".count))
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                catalog.diagnostics.append(.error("invalid-utf8", "template \"\(name)\" is not valid UTF-8", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            do {
                catalog.templates.append(try MessageTemplate(name: name, file: path, text: text))
            } catch {
                catalog.diagnostics.append(error)
            }
        }
    }

    static func readFile(_ path: String) -> (bytes: [UInt8], problem: Diagnostic?) {
        guard let data = FileManager.default.contents(atPath: path) else {
            return ([], .error("unreadable-file", "cannot read file", at: SourceLocation(file: path, line: 1, column: 1)))
        }
        return ([UInt8](data), nil)
    }

    static func yamlFiles(under directory: String) -> [String] {
        files(under: directory, extensions: ["yaml", "yml"])
    }

    /// Files with the given extensions under a directory, recursively, skipping hidden ones,
    /// sorted so that diagnostics and duplicate detection are deterministic.
    static func files(under directory: String, extensions: Set<String>) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else { return [] }
        var result: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/")
            if components.contains(where: { $0.hasPrefix(".") }) {
                continue
            }
            guard let dot = relative.lastIndex(of: "."), extensions.contains(String(relative[relative.index(after: dot)...])) else { continue }
            result.append(join(directory, relative))
        }
        return result.sorted()
    }

    static func join(_ directory: String, _ name: String) -> String {
        if directory == "." || directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }
}

/// The catalog directory itself could not be read.
public struct CatalogLoadError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
