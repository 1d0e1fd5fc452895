import RunbookCore

/// Where `store:` in rbx.yaml (or `--store`) says state lives.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:PATH`; a relative path is taken from the catalog directory.
    case sqlite(path: String)

    /// - Throws: ``StoreError`` naming what is accepted.
    public init(_ text: String, relativeTo directory: String) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw StoreError("store \"\(text)\": sqlite: needs a file path (sqlite:var/rbx.sqlite)") }
            self = .sqlite(path: CatalogLoader.resolve(path, in: directory))
            return
        }
        throw StoreError("store \"\(text)\": expected sqlite:PATH")
    }

    /// Opens the store (creating and migrating it as needed).
    public func open() throws -> any StateStore {
        switch self {
        case .sqlite(let path): try SQLiteStateStore(path: path)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        }
    }
}
