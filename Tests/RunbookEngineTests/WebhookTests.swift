import Foundation
import RunbookCore
import RunbookEngine
import RunbookYAML
import Testing

/// The webhook notifier against a real HTTP server on 127.0.0.1.
///
/// The server is a few lines of POSIX sockets on its own thread, answering one request: a
/// server in a child process would need Foundation's `Process`, whose child reaping does not
/// mix with swift-subprocess's in one test process.
struct WebhookTests {
    private func withServer(status: Int, _ body: (Int, OneShotHTTPServer) async throws -> Void) async throws {
        let server = try OneShotHTTPServer(status: status)
        try await body(server.port, server)
    }

    private func message(port: Int, headers: [String: String]) -> OutboundMessage {
        let notifier = CatalogConfig.Notifier(
            name: Located("pager", at: SourceLocationStub.location), kind: .webhook,
            url: "http://127.0.0.1:\(port)/hook",
            headers: headers)
        let alert = EngineFixture.alert("HostDown", labels: ["instance": "web-1"])
        return OutboundMessage(
            notifier: notifier, kind: "escalation", body: "web-1 is down", idempotencyKey: "run-1/rung-1/0/pager",
            runID: "run-1", runbook: "host-down", alert: alert)
    }

    @Test("a webhook is POSTed as JSON with an idempotency key; ${SECRET} headers are resolved, never recorded")
    func postsJSON() async throws {
        try await withServer(status: 200) { port, server in
            let sender = LiveNotificationSender(
                runner: ProcessCommandRunner(), secrets: SecretResolver(environment: ["PAGER_TOKEN": "tok-123456"]),
                environment: [:])
            let error = await sender.deliver(message(port: port, headers: ["Authorization": "Bearer ${PAGER_TOKEN}"]))
            #expect(error == nil)
            let request = try #require(server.received())
            #expect(request.head.hasPrefix("POST /hook HTTP/1.1\r\n"))
            #expect(request.head.lowercased().contains("authorization: bearer tok-123456\r\n"))
            #expect(request.head.lowercased().contains("idempotency-key: run-1/rung-1/0/pager\r\n"))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body.utf8)) as? [String: Any])
            #expect(body["message"] as? String == "web-1 is down")
            #expect(body["kind"] as? String == "escalation")
            #expect((body["alert"] as? [String: Any])?["name"] as? String == "HostDown")
        }
    }

    @Test("a webhook that answers 500 is reported as a failed delivery")
    func serverError() async throws {
        try await withServer(status: 500) { port, _ in
            let sender = LiveNotificationSender(
                runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
            #expect(await sender.deliver(message(port: port, headers: [:])) == "webhook answered 500")
        }
    }

    @Test("a header naming a secret that is not set fails without sending")
    func missingSecret() async throws {
        try await withServer(status: 200) { port, server in
            let sender = LiveNotificationSender(
                runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
            #expect(
                await sender.deliver(message(port: port, headers: ["X-Token": "${NOPE}"]))
                    == "header X-Token names a secret that is not set")
            #expect(server.received(waiting: .milliseconds(300)) == nil)
        }
    }
}

enum SourceLocationStub {
    static var location: RunbookYAML.SourceLocation { .init(file: "rbx.yaml", line: 1, column: 1) }
}

/// Accepts one connection on 127.0.0.1, records the request, answers with a fixed status.
final class OneShotHTTPServer: @unchecked Sendable {
    // @unchecked: `request` is written by the server thread and read under `lock`.
    struct Request: Equatable {
        var head: String
        var body: String
    }

    let port: Int
    private let socketDescriptor: Int32
    private let lock = NSCondition()
    private var request: Request?

    init(status: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 4) == 0 else {
            close(descriptor)
            throw FixtureError(message: "cannot listen on 127.0.0.1")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        socketDescriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in self.serve(descriptor, status: status) }
    }

    deinit { close(socketDescriptor) }

    private func serve(_ descriptor: Int32, status: Int) {
        let connection = accept(descriptor, nil, nil)
        guard connection >= 0 else { return }
        defer { close(connection) }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(connection, &buffer, buffer.count)
            if count <= 0 { break }
            data += buffer[0..<count]
            let text = String(decoding: data, as: UTF8.self)
            guard let split = text.range(of: "\r\n\r\n") else { continue }
            let head = String(text[..<split.upperBound])
            let length =
                head.lowercased().split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = String(text[split.upperBound...])
            if body.utf8.count >= length {
                let response = "HTTP/1.1 \(status) X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                _ = response.withCString { write(connection, $0, strlen($0)) }
                lock.lock()
                request = Request(head: head, body: body)
                lock.broadcast()
                lock.unlock()
                return
            }
        }
    }

    /// The request, once it has arrived (nil if none arrives in time).
    func received(waiting timeout: Duration = .seconds(30)) -> Request? {
        let deadline = Date().addingTimeInterval(
            Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        lock.lock()
        defer { lock.unlock() }
        while request == nil && lock.wait(until: deadline) {}
        return request
    }
}

/// The file status-page sink.
struct StatusPageTests {
    @Test("the file sink keeps one page per run with the latest state and message")
    func fileSink() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var page = CatalogConfig.StatusPage()
        page.path = directory.appendingPathComponent("status").path
        let sender = LiveNotificationSender(
            runner: ProcessCommandRunner(), secrets: SecretResolver(environment: [:]), environment: [:])
        #expect(
            await sender.publishStatus(page, runID: "r1", runbook: "disk", state: "investigating", body: "Looking.")
                == nil)
        #expect(
            await sender.publishStatus(page, runID: "r1", runbook: "disk", state: "resolved", body: "Fixed.") == nil)
        let text = try String(contentsOfFile: try #require(page.path) + "/disk-r1.md", encoding: .utf8)
        #expect(text == "# disk: resolved\n\nFixed.\n")
    }
}
