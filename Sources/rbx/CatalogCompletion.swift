import ArgumentParser
import Dispatch
import RunbookCore
import Synchronization

/// Shell completion from the catalog: runbook names for `rbx run`/`rbx drill`, and a runbook's
/// step ids for `--assume STEP=…`. The catalog is the one `--catalog` names on the command line
/// being completed, else the current directory; one that cannot be read completes nothing.
enum CatalogCompletion {
    static let runbooks = CompletionKind.custom { (arguments: [String], _: Int, prefix: String) -> [String] in
        guard let catalog = load(catalogDirectory(in: arguments)) else { return [] }
        return catalog.runbooks.map(\.name).filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// `STEP=` for every step of the runbook named on the command line (or of every runbook).
    static let steps = CompletionKind.custom { (arguments: [String], _: Int, prefix: String) -> [String] in
        guard let catalog = load(catalogDirectory(in: arguments)) else { return [] }
        let named = Set(arguments).intersection(catalog.runbooks.map(\.name))
        let runbooks = named.isEmpty ? catalog.runbooks : catalog.runbooks.filter { named.contains($0.name) }
        let ids = Set(runbooks.flatMap { runbook in runbook.allSteps.map(\.id.value) })
        return ids.map { $0 + "=" }.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// Loads the catalog, waiting for the async loader: argument-parser calls a completion
    /// synchronously (rbx parses with `parseAsRoot`, where async completions are not run), and a
    /// completion request is a process of its own that does nothing else meanwhile.
    static func load(_ directory: String) -> Catalog? {
        let loaded = Mutex<Catalog?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            let catalog = try? await CatalogLoader.load(directory: directory)
            loaded.withLock { $0 = catalog }
            done.signal()
        }
        done.wait()
        return loaded.withLock { $0 }
    }

    /// The value after `--catalog` (or in `--catalog=DIR`), else ".".
    static func catalogDirectory(in arguments: [String]) -> String {
        for (index, argument) in arguments.enumerated() {
            if argument == "--catalog", index + 1 < arguments.count { return arguments[index + 1] }
            if argument.hasPrefix("--catalog=") { return String(argument.dropFirst("--catalog=".count)) }
        }
        return "."
    }
}
