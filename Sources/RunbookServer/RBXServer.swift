public import Hummingbird
import Logging
import NIOCore
import RunbookCore
import RunbookStore
import ServiceLifecycle
import UnixSignals

/// `rbx serve`: the HTTP API, the worker pool and the timer scheduler, run together under
/// swift-service-lifecycle. SIGTERM or SIGINT stops intake, lets running steps finish (up to
/// the grace), and exits; what did not finish is resumed from the store at the next start.
/// SIGHUP (or `POST /-/reload`) loads the catalog again (``CatalogReloader``).
public struct RBXServer: Sendable {
    public var dependencies: ServerDependencies
    public var host: String
    public var port: Int
    /// The bearer tokens the API accepts and whom each names.
    public var tokens: APITokens
    /// The tokens' values, for the log redactor; never printed.
    public var tokenValues: [String]

    public init(dependencies: ServerDependencies, host: String, port: Int, tokens: APITokens, tokenValues: [String]) {
        self.dependencies = dependencies
        self.host = host
        self.port = port
        self.tokens = tokens
        self.tokenValues = tokenValues
    }

    /// The application, for running as a service or in tests; `onListening` gets the bound port.
    public func application(
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        if dependencies.store.isExclusive {
            let released = try await dependencies.store.releaseClaims(exceptWorker: dependencies.workerID)
            if released > 0 {
                dependencies.logger.warning(
                    "took over the claims a stopped rbx serve left; their runs resume now",
                    metadata: ["claims": .stringConvertible(released)])
            }
        }
        let sessions = MemoryPersistDriver()
        let reloader = CatalogReloader(dependencies: dependencies)
        dependencies.metrics.catalogLoaded(
            succeeded: true, reload: false, atMilliseconds: dependencies.clock.milliseconds)
        let routes = APIRoutes(
            dependencies: dependencies, intake: AlertIntake(dependencies: dependencies), tokens: tokens,
            maxBody: Int(dependencies.catalog.config.maxBody.bytes), sessions: sessions, reloader: reloader)
        var services: [any Service] = [
            WorkerPool(dependencies: dependencies), TimerScheduler(dependencies: dependencies),
            ScheduleTicker(dependencies: dependencies), sessions, ReloadSignalService(reloader: reloader),
            ReplicaHeartbeat(dependencies: dependencies),
        ]
        // Replicas on a shared store answer each other's approvals; one process alone needs no relay.
        if !dependencies.store.isExclusive { services.append(DecisionRelay(dependencies: dependencies)) }
        let settings = dependencies.catalog.config.server
        let descriptors = DescriptorLimit.raise()
        let limits = ConnectionLimits.forDescriptors(
            descriptors, configured: settings.maxConnections,
            timeouts: (settings.headerTimeout, settings.bodyTimeout, settings.idleTimeout))
        dependencies.logger.info(
            "connection limits",
            metadata: [
                "descriptors": "\(descriptors)", "max_connections": "\(limits.maxConnections)",
                "header_timeout": "\(limits.headerTimeout)", "idle_timeout": "\(limits.idleTimeout)",
            ])
        let budget = ConnectionBudget(limits: limits)
        return Application(
            router: routes.router(),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(budget: budget)])),
            configuration: .init(address: .hostname(host, port: port), serverName: "rbx"),
            services: services,
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: dependencies.logger)
    }

    /// Runs until SIGTERM or SIGINT, then closes the store (a PostgreSQL store's connections).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try await application(onListening: onListening)
        // The sentinel, listed last, hears the signal first: the workers' grace starts at the
        // signal, not after the HTTP server and the scheduler (shut down before them) are done.
        let group = ServiceGroup(
            configuration: .init(
                services: [app, ShutdownSentinel(flag: dependencies.shutdown)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: dependencies.logger))
        do {
            try await group.run()
        } catch {
            await dependencies.store.close()
            throw error
        }
        await dependencies.store.close()
    }
}
