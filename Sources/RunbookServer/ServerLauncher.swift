import Foundation
public import Logging
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore

/// Everything `rbx serve` does before it listens: load and check the catalog, find the token,
/// open the store. Kept out of the CLI so tests start servers the same way.
public enum ServerLauncher {
    public struct Overrides: Sendable {
        public var listen: String?
        public var store: String?
        public var workers: Int?

        public init(listen: String? = nil, store: String? = nil, workers: Int? = nil) {
            self.listen = listen
            self.store = store
            self.workers = workers
        }
    }

    /// - Parameter clock: the server's time: the system's, or one a test moves by hand.
    /// - Throws: ``ServerSetupError`` saying what to fix (lint errors, no token, store locked).
    public static func prepare(
        catalogDirectory: String, overrides: Overrides, environment: [String: String], logger: Logger,
        clock: any ServerClock = SystemServerClock()
    ) async throws(ServerSetupError) -> RBXServer {
        var catalog: Catalog
        let digest = CatalogDigest.of(directory: catalogDirectory)
        do {
            catalog = try await CatalogLoader.load(directory: catalogDirectory)
        } catch {
            throw ServerSetupError(message: error.description)
        }
        if let refusal = catalog.lintRefusal { throw ServerSetupError(message: refusal) }
        if let workers = overrides.workers { catalog.config.server.workers = max(1, workers) }
        let listen = overrides.listen ?? catalog.config.listen
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ServerSetupError(message: "listen address \"\(listen)\": write HOST:PORT, e.g. 127.0.0.1:9095")
        }
        let host = String(listen[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let (tokens, tokenValues) = try self.tokens(
            config: catalog.config, directory: catalogDirectory, environment: environment)
        let store: any StateStore
        do {
            let location = try StoreLocation.resolve(
                override: overrides.store, configured: catalog.config.store, relativeTo: catalogDirectory,
                environment: environment)
            store = try await location.open(environment: environment, logger: logger)
        } catch {
            throw ServerSetupError(message: "\(error)")
        }
        let signingKey: EvidenceSigningKey?
        do {
            signingKey = try EvidenceSigningKey.configured(catalog.config.evidenceSigningKey, environment: environment)
        } catch {
            throw ServerSetupError(message: "\(error)")
        }
        let secrets = SecretResolver(environment: environment)
        let runner = ProcessCommandRunner()
        let evidence = catalog.config.evidenceDirectory
        var dependencies = ServerDependencies(
            catalog: catalog, catalogDirectory: catalogDirectory, store: store, clock: clock, runner: runner,
            sender: LiveNotificationSender(
                runner: runner, secrets: secrets,
                environment: environment.filter { catalog.config.envAllow.contains($0.key) }),
            environment: environment, workerID: workerID(), logger: logger,
            evidenceDirectory: CatalogLoader.resolve(evidence, in: catalogDirectory),
            faults: FaultPoints(environment: environment), catalogDigest: digest)
        warnAboutDeliveriesOutlastingClaims(catalog.config, logger: logger)
        dependencies.evidenceSigningKey = signingKey
        dependencies.catalogCommit = await GitCommit.of(
            directory: catalogDirectory, runner: runner, environment: environment)
        return RBXServer(dependencies: dependencies, host: host, port: port, tokens: tokens, tokenValues: tokenValues)
    }

    /// A timer is fired only while half its claim lock is left (``TimerScheduler``); a page
    /// whose failing attempts take longer may be taken over by another replica and sent again.
    static func warnAboutDeliveriesOutlastingClaims(_ config: CatalogConfig, logger: Logger) {
        let delivery = PageDelivery(
            attempts: config.delivery.attempts, backoff: config.delivery.backoff,
            fallback: config.delivery.fallback?.value)
        let limit = config.server.claimLock / 2
        for notifier in config.notifiers where notifier.kind != .file {
            let longest = delivery.longestDelivery(perAttempt: notifier.timeout)
            guard longest > limit else { continue }
            logger.warning(
                "a failing page to this notifier can outlast half of server.claim_lock; another replica may page again",
                metadata: [
                    "notifier": .string(notifier.name.value), "longest": .string(longest.runbookDescription),
                    "claim_lock": .string(config.server.claimLock.runbookDescription),
                    "fix":
                        "lower delivery.attempts, delivery.backoff or the notifier's timeout, or raise server.claim_lock",
                ])
        }
    }

    /// The shared token (optional when named tokens exist) and every named token, resolved.
    /// A named token whose reference is not set stops the start: a person would find their
    /// token refused at 3 a.m. otherwise.
    static func tokens(
        config: CatalogConfig, directory: String, environment: [String: String]
    ) throws(ServerSetupError) -> (APITokens, [String]) {
        var named: [(token: String, identity: Identity)] = []
        for entry in config.authTokens {
            var redactor = Redactor()
            guard let value = try? SecretResolver(environment: environment).resolve(entry.token, redactor: &redactor),
                !value.isEmpty
            else {
                throw ServerSetupError(
                    message: "auth.tokens: the token of \(entry.name) (\(entry.token)) is not set in rbx's environment")
            }
            named.append((value, Identity(name: entry.name, roles: entry.roles)))
        }
        let shared: String?
        do {
            shared = try token(config: config, directory: directory, environment: environment)
        } catch {
            guard !named.isEmpty else { throw error }
            shared = nil
        }
        return (APITokens(shared: shared, named: named), ([shared].compactMap { $0 }) + named.map(\.token))
    }

    /// The shared API token: `RBX_TOKEN`, else `auth.token` (a `${NAME}` reference), else the
    /// file `auth.token_file` (or `RBX_TOKEN_FILE`). A server with neither it nor named tokens
    /// refuses to start.
    static func token(
        config: CatalogConfig, directory: String, environment: [String: String]
    ) throws(ServerSetupError) -> String {
        if let token = environment["RBX_TOKEN"], !token.isEmpty { return token }
        if let reference = config.authToken {
            var redactor = Redactor()
            if let token = try? SecretResolver(environment: environment).resolve(reference, redactor: &redactor),
                !token.isEmpty
            {
                return token
            }
        }
        if let file = config.authTokenFile ?? environment["RBX_TOKEN_FILE"] {
            let path = CatalogLoader.resolve(file, in: directory)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ServerSetupError(message: "auth.token_file \(path): cannot read the token file")
            }
            let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if !token.isEmpty { return token }
        }
        throw ServerSetupError(
            message:
                "rbx serve needs an API token: set RBX_TOKEN (or RBX_TOKEN_FILE), or auth.token / auth.token_file / auth.tokens in rbx.yaml"
        )
    }

    private static func workerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host)/\(ProcessInfo.processInfo.processIdentifier)/\(UUID().uuidString.prefix(8).lowercased())"
    }
}

public struct ServerSetupError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
