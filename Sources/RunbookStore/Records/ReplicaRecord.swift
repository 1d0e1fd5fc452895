/// One `rbx serve` process as the store knows it: which catalog it serves, so a rollout that
/// reached some replicas and not others is visible (`GET /api/v1/replicas`).
public struct ReplicaRecord: Sendable, Equatable {
    /// The process's worker id (`host/pid/random`), as in claims.
    public var worker: String
    /// SHA-256 of the catalog's files (``CatalogDigest``), hex.
    public var catalogDigest: String
    /// Successful reloads since the process started.
    public var generation: Int
    /// Epoch milliseconds.
    public var startedAt: Int64
    /// When the process last said it was alive (epoch milliseconds).
    public var seenAt: Int64

    public init(worker: String, catalogDigest: String, generation: Int, startedAt: Int64, seenAt: Int64) {
        self.worker = worker
        self.catalogDigest = catalogDigest
        self.generation = generation
        self.startedAt = startedAt
        self.seenAt = seenAt
    }
}
