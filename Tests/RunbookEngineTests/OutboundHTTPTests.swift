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
        let closedPort = try Self.portNothingListensOn()
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

    /// A port bound and released again, so nothing listens on it.
    private static func portNothingListensOn() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
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
