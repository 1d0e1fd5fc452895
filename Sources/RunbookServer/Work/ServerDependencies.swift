public import Logging
public import RunbookCore
public import RunbookEngine
import RunbookLifecycle
public import RunbookStore

/// What the server's parts share: the catalog, the store, the clock and the ways out.
public struct ServerDependencies: Sendable {
    /// The catalog now; a reload replaces it (``CatalogReloader``).
    public let live: LiveCatalog
    public var catalog: Catalog { live.current }
    public var catalogDirectory: String
    public var store: any StateStore
    public var clock: any ServerClock
    public var runner: any CommandRunner
    public var sender: any NotificationSender
    /// rbx's own environment: secrets and allow-listed variables for runs.
    public var environment: [String: String]
    /// Names this process in claims (`host/pid/random`).
    public var workerID: String
    public var logger: Logger
    public var metrics: ServerMetrics
    /// Where live runs' evidence bundles go; nil writes none.
    public var evidenceDirectory: String?
    /// Signs each bundle's manifest (`evidence.signing_key`); nil leaves bundles unsigned.
    public var evidenceSigningKey: EvidenceSigningKey?
    /// The catalog's git commit (`-dirty` with local changes), for evidence; nil outside git.
    public var catalogCommit: String?
    /// Debug kill points (`RBX_DEBUG_FAULT`); none unless armed.
    public var faults: FaultPoints
    /// When this process started serving (epoch milliseconds): Alertmanager's `uptime`.
    public let startedAt: Int64
    let registry = RunRegistry()
    /// Raised when SIGTERM or SIGINT arrives (``ShutdownSentinel``): workers stop claiming and
    /// their grace starts.
    let shutdown = ShutdownFlag()
    /// Wakes idle workers when alerts are queued.
    let signal: WorkSignal
    /// Wakes the timer scheduler when a run starts (a rung may be due at once).
    let timerSignal = WorkSignal(limit: 1)

    public init(
        catalog: Catalog, catalogDirectory: String, store: any StateStore, clock: any ServerClock = SystemServerClock(),
        runner: any CommandRunner, sender: any NotificationSender, environment: [String: String], workerID: String,
        logger: Logger,
        metrics: ServerMetrics = ServerMetrics(), evidenceDirectory: String?, faults: FaultPoints = .none,
        catalogDigest: String = ""
    ) {
        self.live = LiveCatalog(catalog, digest: catalogDigest)
        self.catalogDirectory = catalogDirectory
        self.store = store
        self.clock = clock
        self.runner = runner
        self.sender = sender
        self.environment = environment
        self.workerID = workerID
        self.logger = logger
        self.metrics = metrics
        self.evidenceDirectory = evidenceDirectory
        self.faults = faults
        self.startedAt = clock.milliseconds
        self.signal = WorkSignal(limit: catalog.config.server.workers * 4)
    }

    var settings: CatalogConfig.ServerSettings { catalog.config.server }

    /// A run as stored, with its alert and step results, ready for an event; nil when the run,
    /// its alert or its runbook is gone. `before` is the run as it stood before a change the
    /// store has already recorded (an acknowledgement, a resolution), so the lifecycle takes
    /// that change as its event.
    /// What sends a run's messages: the configured notifiers, or for a fire drill only those
    /// marked `drill: deliver` (``DrillNotificationSender``).
    func sender(for alert: Alert) -> any NotificationSender {
        alert.drill == nil ? sender : DrillNotificationSender(base: sender)
    }

    func storedRun(id runID: String, as before: RunRow? = nil) async throws -> StoredRun? {
        guard let detail = try await store.run(id: runID), let alert = try await store.alert(id: detail.run.alertID)
        else { return nil }
        return StoredRun(before ?? detail.run, alert: alert.alert, steps: detail.steps, dependencies: self)
    }
}

/// Short descriptions: swift-service-lifecycle logs services at debug level, and the default
/// reflection would print the whole environment, secrets included.
extension ServerDependencies: CustomStringConvertible {
    public var description: String { "ServerDependencies(worker: \(workerID), runbooks: \(catalog.runbooks.count))" }
}

extension WorkerPool: CustomStringConvertible {
    var description: String { "WorkerPool(workers: \(dependencies.settings.workers))" }
}

extension TimerScheduler: CustomStringConvertible {
    var description: String { "TimerScheduler" }
}
