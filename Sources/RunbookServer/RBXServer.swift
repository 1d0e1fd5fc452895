public import Hummingbird
import Logging
import RunbookCore
import NIOCore
import RunbookStore
import ServiceLifecycle
import UnixSignals

/// `rbx serve`: the HTTP API, the worker pool and the timer scheduler, run together under
/// swift-service-lifecycle. SIGTERM or SIGINT stops intake, lets running steps finish (up to
/// the grace), and exits; what did not finish is resumed from the store at the next start.
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
    public func application(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws -> some ApplicationProtocol {
        if dependencies.store.isExclusive {
            let released = try await dependencies.store.releaseClaims(exceptWorker: dependencies.workerID)
            if released > 0 {
                dependencies.logger.warning("took over \(released) claims left by a stopped rbx serve; their runs resume now")
            }
        }
        let routes = APIRoutes(
            dependencies: dependencies, intake: AlertIntake(dependencies: dependencies), tokens: tokens,
            maxBody: Int(dependencies.catalog.config.maxBody.bytes))
        return Application(
            router: routes.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "rbx"),
            services: [WorkerPool(dependencies: dependencies), TimerScheduler(dependencies: dependencies)],
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: dependencies.logger)
    }

    /// Runs until SIGTERM or SIGINT, then closes the store (a PostgreSQL store's connections).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = try await application(onListening: onListening)
        do {
            try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
        } catch {
            await dependencies.store.close()
            throw error
        }
        await dependencies.store.close()
    }
}
