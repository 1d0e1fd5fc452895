import ArgumentParser
import Foundation
import Logging
import RunbookCore
import RunbookEngine
import RunbookServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take alerts over HTTP and run their runbooks, with durable state, escalation and a status page.",
        discussion: HelpText.reflow(
            """
            Accepts Alertmanager API v2 alerts (POST /api/v2/alerts: list rbx as an alertmanager in
            Prometheus, or use amtool), Alertmanager webhooks (POST /api/v1/webhook/alertmanager)
            and plain JSON alerts (POST /api/v1/alerts). State lives in the store (store: in
            rbx.yaml, default sqlite:var/rbx.sqlite): after a crash or kill -9, every escalation
            still due fires once and interrupted runs resume as their runbooks allow.

            Everything under /api needs "Authorization: Bearer TOKEN"; the token comes from
            RBX_TOKEN, RBX_TOKEN_FILE, or auth.token / auth.token_file in rbx.yaml.
            /healthz, /readyz, /metrics and /status (an HTML status page) are open.
            SIGTERM or SIGINT stops intake and gives running steps server.shutdown_grace (10s)
            to finish; what is cut off resumes at the next start. SIGHUP (systemctl reload) or
            POST /-/reload with the token loads the catalog again; one with lint errors is
            refused and the running one keeps serving.

            Exit codes: 0 stopped by a signal, 2 the catalog, token, store or address is unusable.

            Examples:
              RBX_TOKEN=secret rbx serve --catalog .
              rbx serve --listen 0.0.0.0:9095 --store sqlite:/var/lib/rbx/rbx.sqlite
            """))

    @Option(help: "The catalog root (default: the current directory).")
    var catalog: String = "."

    @Option(
        help: ArgumentHelp("Listen here instead of server.listen (port 0 picks a free one).", valueName: "HOST:PORT"))
    var listen: String?

    @Option(
        help: ArgumentHelp(
            "Use this store instead of store: in rbx.yaml or RBX_DATABASE_URL: sqlite:PATH, or postgres://USER@HOST:PORT/DB?sslmode=disable|prefer|require (password from RBX_DATABASE_PASSWORD, RBX_DATABASE_PASSWORD_FILE or PGPASSWORD).",
            valueName: "sqlite:PATH|postgres://URL"))
    var store: String?

    @Option(help: "Runs executed at once (default: server.workers, 4).")
    var workers: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError(
                "--log-level \(logLevel): one of trace, debug, info, notice, warning, error, critical")
        }
        if let workers, workers < 1 { throw ValidationError("--workers must be at least 1") }
    }

    func run() async throws {
        StepContainment.process.adoptOrphans()
        let environment = ProcessInfo.processInfo.environment
        let secrets = SharedRedactor()
        if let token = environment["RBX_TOKEN"] { secrets.update { $0.add(secret: token) } }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = RedactingLogHandler(label: label, redactor: secrets)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "rbx.serve")
        let server: RBXServer
        do {
            server = try await ServerLauncher.prepare(
                catalogDirectory: catalog, overrides: .init(listen: listen, store: store, workers: workers),
                environment: environment,
                logger: logger)
        } catch {
            Output.write("rbx serve: \(error)\n", to: .standardError)
            throw ExitCode(RbxExit.usage)
        }
        secrets.update { redactor in
            redactor = Redactor(patterns: server.dependencies.catalog.config.secretPatterns)
            for token in server.tokenValues { redactor.add(secret: token) }
        }
        let host = server.host
        let catalogSize = server.dependencies.catalog.runbooks.count
        do {
            try await server.run { port in
                Output.write(
                    "rbx serve: listening on http://\(host):\(port) (\(catalogSize) runbooks, worker \(server.dependencies.workerID))\n",
                    to: .standardOutput)
            }
        } catch {
            Output.write("rbx serve: \(error)\n", to: .standardError)
            throw ExitCode(RbxExit.usage)
        }
    }
}
