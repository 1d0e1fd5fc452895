import Foundation
import RunbookCore
import RunbookEngine
import Testing

/// rbx's one HTTP client (async-http-client underneath) against a real server on 127.0.0.1:
/// the bounds every caller relies on, and the choices made for webhooks.
struct OutboundHTTPTests {
    @Test("a body that trickles in past the deadline is a timeout, although the head came at once")
    func trickleIsTimeout() async throws {
        let server = try ScriptedHTTPServer { _ in
            .init(body: Array(repeating: UInt8(ascii: "x"), count: 10), pieces: 10, pause: .milliseconds(500))
        }
        do {
            _ = try await OutboundHTTP.shared.send(
                OutboundRequest(url: "http://127.0.0.1:\(server.port)/", timeout: .seconds(1)))
            Issue.record("a body that took 5 s was collected within a 1 s bound")
        } catch {
            #expect(error.code == .timeout)
        }
    }

    @Test("an answer over the size limit fails the request, unless the caller asked for it to be cut")
    func sizeLimit() async throws {
        let server = try ScriptedHTTPServer { _ in
            .init(body: Array(repeating: UInt8(ascii: "y"), count: 100_000), pieces: 20)
        }
        let url = "http://127.0.0.1:\(server.port)/"
        do {
            _ = try await OutboundHTTP.shared.send(OutboundRequest(url: url, timeout: .seconds(30), sizeLimit: 1024))
            Issue.record("a 100 kB answer passed a 1 kB limit")
        } catch {
            #expect(error.code == .tooLarge)
        }
        let cut = try await OutboundHTTP.shared.send(
            OutboundRequest(url: url, timeout: .seconds(30), sizeLimit: 1024, cutsOversizedBody: true))
        #expect(cut.status == 200)
        #expect(cut.body.count <= 1024)
    }

    @Test("a webhook does not follow a redirect: its secret header stays with the host the catalog named")
    func redirectNotFollowed() async throws {
        let server = try ScriptedHTTPServer { _ in
            .init(status: 302, headers: ["Location": "http://elsewhere.invalid/hook"])
        }
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: ["PAGER_TOKEN": "tok-123456"]),
            environment: [:])
        let problem = await sender.deliver(
            Self.message(url: "http://127.0.0.1:\(server.port)/hook", headers: ["X-Token": "${PAGER_TOKEN}"]))
        #expect(problem?.hasPrefix("webhook answered 302 (a redirect to http://elsewhere.invalid/hook") == true)
        #expect(problem?.contains("tok-123456") == false)
    }

    @Test("pages to one webhook reuse one connection")
    func connectionReuse() async throws {
        let server = try ScriptedHTTPServer { _ in .init(status: 202) }
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
        for _ in 0..<3 {
            #expect(await sender.deliver(Self.message(url: "http://127.0.0.1:\(server.port)/hook")) == nil)
        }
        #expect(server.connections == 1)
    }

    @Test("nothing listening is unreachable; a URL rbx cannot send to is said to be one")
    func unreachableAndInvalid() async throws {
        let closedPort = try LoopbackSocket.closedPort()
        do {
            _ = try await OutboundHTTP.shared.send(
                OutboundRequest(url: "http://127.0.0.1:\(closedPort)/", timeout: .seconds(30)))
            Issue.record("a closed port answered")
        } catch {
            #expect(error.code == .unreachable, "\(error)")
            #expect(error.detail.contains("refused"), "\(error.detail)")
        }
        do {
            _ = try await OutboundHTTP.shared.send(OutboundRequest(url: "gopher://127.0.0.1/", timeout: .seconds(5)))
            Issue.record("gopher was sent")
        } catch {
            #expect(error.code == .invalidURL)
        }
    }

    @Test("TLS is verified: a server whose certificate no trusted authority signed gets no request")
    func untrustedCertificate() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (certificate, key) = (directory.path + "/cert.pem", directory.path + "/key.pem")
        let made = try await ProcessCommandRunner().run(
            CommandInvocation(
                argv: [
                    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", key, "-out", certificate, "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1",
                ],
                environment: ProcessInfo.processInfo.environment, timeout: .seconds(60), killGrace: .seconds(2),
                outputLimit: 1 << 16))
        try #require(made.succeeded)
        let port = try LoopbackSocket.closedPort()
        // A real TLS server (openssl s_server), for one connection: the one rbx makes.
        let server = Task {
            try await ProcessCommandRunner().run(
                CommandInvocation(
                    argv: [
                        "openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key,
                        "-naccept", "1", "-www", "-quiet",
                    ],
                    environment: ProcessInfo.processInfo.environment, timeout: .seconds(120), killGrace: .seconds(2),
                    outputLimit: 1 << 16))
        }
        defer { server.cancel() }
        var outcome: OutboundHTTPError?
        for _ in 0..<600 {
            do {
                _ = try await OutboundHTTP.shared.send(
                    OutboundRequest(url: "https://127.0.0.1:\(port)/", timeout: .seconds(30)))
                Issue.record("a self-signed certificate was trusted")
                return
            } catch  where error.detail.contains("connectionRefused") || error.detail.contains("refused") {
                try await Task.sleep(for: .milliseconds(100))  // s_server is not listening yet
            } catch {
                outcome = error
                break
            }
        }
        let refused = try #require(outcome)
        #expect(refused.code == .unreachable)
        #expect(refused.detail.lowercased().contains("certificate"), "\(refused.detail)")
    }

    private static func message(url: String, headers: [String: String] = [:]) -> OutboundMessage {
        let notifier = CatalogConfig.Notifier(
            name: Located("pager", at: SourceLocationStub.location), kind: .webhook, url: url, headers: headers)
        let alert = EngineFixture.alert("HostDown", labels: ["instance": "web-1"])
        return OutboundMessage(
            notifier: notifier, kind: "escalation", body: "web-1 is down", idempotencyKey: "run-1/rung-1/0/pager",
            runID: "run-1", runbook: "host-down", alert: alert)
    }
}
