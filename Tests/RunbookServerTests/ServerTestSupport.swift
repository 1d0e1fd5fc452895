import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import RunbookCore
import RunbookEngine
import RunbookStore
import RunbookTesting
import Testing

@testable import RunbookServer

/// A catalog written to a temporary directory, a real store (SQLite beside it, or with
/// `RBX_TEST_STORE=postgres` a fresh database on the tests' PostgreSQL cluster), and a server
/// over both, tested with real HTTP on 127.0.0.1 (HummingbirdTesting's live client).
/// `scripts/test` runs this suite once per store. The directory goes with the last reference
/// to the server (a run of the suite left thousands in /tmp).
final class TestServer: Sendable {
    static let token = "test-token-5f2a"
    /// Tokens for `namedTokensConfig`, by identity.
    static let namedTokens = ["ana": "token-ana-41", "bob": "token-bob-77", "eve": "token-eve-03"]
    /// rbx.yaml lines naming three people: ana and bob act as `lead`, eve as nobody.
    static let namedTokensConfig = """
        auth:
          tokens:
            - {name: ana, token: "${TOKEN_ANA}", as: [lead]}
            - {name: bob, token: "${TOKEN_BOB}", as: [lead]}
            - {name: eve, token: "${TOKEN_EVE}"}

        """
    let directory: String
    let server: RBXServer

    /// `runbooks` maps file names to YAML; `config` is added to a base rbx.yaml that pages
    /// through a file notifier at `DIR/pages.log`.
    /// `notifiers` adds entries (names indented by two spaces) beside the pager.
    /// `clock` replaces the system's, for tests that move time by hand.
    /// `templates` maps template names to text, replacing the two every test server has.
    init(
        runbooks: [String: String], config: String = "", notifiers: String = "", workers: Int = 2,
        clock: any ServerClock = SystemServerClock(), templates: [String: String] = [:]
    ) async throws {
        directory =
            FileManager.default.temporaryDirectory.appendingPathComponent("rbx-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/runbooks", withIntermediateDirectories: true)
        let base = """
            apiVersion: rbx/v1
            kind: Config
            notifiers:
              pager:
                type: file
                path: \(directory)/pages.log
            \(notifiers.replacingOccurrences(of: "DIR", with: directory))
            status_page:
              type: file
              path: \(directory)/status
            store: sqlite:\(directory)/state.sqlite
            evidence:
              dir: \(directory)/evidence

            """
        // DIR in the added config stands for the catalog's directory, as in runbooks.
        try (base + config.replacingOccurrences(of: "DIR", with: directory)).write(
            toFile: directory + "/rbx.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/templates", withIntermediateDirectories: true)
        try "Resolved: {{alert.name}} on {{alert.labels.instance}}\n".write(
            toFile: directory + "/templates/resolved.mustache", atomically: true, encoding: .utf8)
        try "Investigating {{alert.name}} on {{alert.labels.instance}}\n".write(
            toFile: directory + "/templates/investigating.mustache", atomically: true, encoding: .utf8)
        for (name, text) in templates {
            try text.write(toFile: directory + "/templates/\(name).mustache", atomically: true, encoding: .utf8)
        }
        for (name, text) in runbooks {
            try text.replacingOccurrences(of: "DIR", with: directory).write(
                toFile: "\(directory)/runbooks/\(name)", atomically: true, encoding: .utf8)
        }
        var logger = Logger(label: "rbx.test")
        logger.logLevel = .critical
        var environment = ProcessInfo.processInfo.environment
        environment["RBX_TOKEN"] = Self.token
        for (name, token) in Self.namedTokens { environment["TOKEN_\(name.uppercased())"] = token }
        if environment["RBX_TEST_STORE"] == "postgres" {
            // A small pool: every test opens its own server and store.
            let url = try await PostgresTestCluster.freshDatabase().url
            environment["RBX_DATABASE_URL"] = url + (url.contains("?") ? "&" : "?") + "pool_size=2"
        }
        server = try await ServerLauncher.prepare(
            catalogDirectory: directory, overrides: .init(listen: "127.0.0.1:0", workers: workers),
            environment: environment, logger: logger, clock: clock)
    }

    /// Runs `body` against the live server, then shuts it down.
    func withClient(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.application().test(.live) { client in try await body(client) }
        await server.dependencies.store.close()
    }

    var store: any StateStore { server.dependencies.store }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func lines(_ file: String) -> [String] {
        ((try? String(contentsOfFile: "\(directory)/\(file)", encoding: .utf8)) ?? "").split(separator: "\n").map(
            String.init)
    }
}

extension TestClientProtocol {
    @discardableResult
    func send(
        _ method: HTTPRequest.Method, _ uri: String, json: String? = nil, token: String? = TestServer.token
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if json != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var list: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
}

/// Polls until `condition` holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}

/// A runbook with one step that appends to `DIR/steps.log`, and an escalation ladder.
func escalatingRunbook(
    name: String = "down", alertname: String = "Down", rungs: [String] = ["2s"], extraSteps: String = ""
) -> String {
    var text = """
        apiVersion: rbx/v1
        kind: Runbook
        metadata:
          name: \(name)
        match:
          labels:
            alertname: \(alertname)
        steps:
          - id: record
            kind: diagnostic
            run: ["/bin/sh", "-c", "echo \\"$1\\" >> DIR/steps.log", "sh", "{{alert.labels.instance}}"]
        \(extraSteps)
        status:
          on_start:
            template: investigating
            state: investigating
          on_resolved:
            template: resolved
            state: resolved
            notify: [pager]

        """
    if !rungs.isEmpty {
        text += "escalation:\n"
        for rung in rungs { text += "  - after: \(rung)\n    notify: [pager]\n" }
    }
    return text
}
