public import RunbookCore
import Synchronization

/// The catalog the server works from now. A reload replaces it whole; every part of the server
/// reads it when it needs it, so the next alert, timer or page sees the new one.
///
/// A run that is executing keeps the `Runbook` value it started with for its steps, so a reload
/// never changes a run half-way through its steps.
public final class LiveCatalog: Sendable {
    /// A catalog, how many successful reloads produced it (0: the one loaded at start), and the
    /// digest of the files it was loaded from (``CatalogDigest``; empty when not known).
    public struct Version: Sendable {
        public var catalog: Catalog
        public var generation: Int
        public var digest: String
    }

    private let state: Mutex<Version>

    public init(_ catalog: Catalog, digest: String = "") {
        state = Mutex(Version(catalog: catalog, generation: 0, digest: digest))
    }

    public var current: Catalog { state.withLock { $0.catalog } }
    public var version: Version { state.withLock { $0 } }

    /// Makes `catalog` the current one; returns its version.
    @discardableResult
    func replace(with catalog: Catalog, digest: String) -> Version {
        state.withLock { version in
            version = Version(catalog: catalog, generation: version.generation + 1, digest: digest)
            return version
        }
    }
}
