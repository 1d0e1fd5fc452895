public import PostgresNIO
import RunbookCore

/// Where `store:` in rbx.yaml (or `--store`, or `RBX_DATABASE_URL`) says state lives.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// `sqlite:PATH`; a relative path is taken from the catalog directory. One process only.
    case sqlite(path: String)
    /// `postgres://USER@HOST:PORT/DATABASE?sslmode=…`: shared by replicas. No password here.
    case postgres(PostgresStoreConfiguration)

    /// - Parameter allowsPassword: true only for a URL read from the environment.
    /// - Throws: ``StoreError`` naming what is accepted.
    public init(_ text: String, relativeTo directory: String, allowsPassword: Bool = false) throws(StoreError) {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw StoreError("store \"\(text)\": sqlite: needs a file path (sqlite:var/rbx.sqlite)")
            }
            self = .sqlite(path: CatalogLoader.resolve(path, in: directory))
            return
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(try PostgresStoreConfiguration(url: text, allowsPassword: allowsPassword))
            return
        }
        throw StoreError(
            "store \"\(PostgresStoreConfiguration.redacted(text))\": expected sqlite:PATH or postgres://USER@HOST:PORT/DATABASE"
        )
    }

    /// The store `rbx serve` uses: `--store` if given, else `RBX_DATABASE_URL` (so a deployment
    /// points replicas at their database without editing the catalog), else `store:`.
    public static func resolve(
        override: String?, configured: String, relativeTo directory: String, environment: [String: String]
    ) throws(StoreError) -> StoreLocation {
        if let override { return try StoreLocation(override, relativeTo: directory) }
        if let url = environment["RBX_DATABASE_URL"], !url.isEmpty {
            return try StoreLocation(url, relativeTo: directory, allowsPassword: true)
        }
        return try StoreLocation(configured, relativeTo: directory)
    }

    /// Opens the store (creating and migrating it as needed). A PostgreSQL store takes its
    /// password from `environment` (see ``PostgresStoreConfiguration/withPassword(from:)``).
    public func open(
        environment: [String: String] = [:], logger: Logger = Logger(label: "rbx.store")
    ) async throws -> any StateStore {
        switch self {
        case .sqlite(let path): try SQLiteStateStore(path: path)
        case .postgres(let configuration):
            try await PostgresStateStore(configuration: configuration.withPassword(from: environment), logger: logger)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let configuration): configuration.description
        }
    }
}
