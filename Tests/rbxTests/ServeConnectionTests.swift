import Foundation
import Testing

/// Issue 13, item 6: 1,100 half-open unauthenticated connections under a 1,024-descriptor limit
/// stopped intake and `/healthz`. Now the oldest waiting connection gives way to a new one, and
/// a connection that does not finish its request head within `server.header_timeout` is closed.
@Suite struct ServeConnectionTests {
    /// Opens `count` connections that send half a request head and hold them; then, while they
    /// are held, times `GET /healthz` and an authenticated alert post; then waits and counts how
    /// many of the held connections the server closed. Prints one JSON object.
    static let slowloris = #"""
        import json, socket, sys, time, http.client
        host, port, token, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        held = []
        for _ in range(count):
            s = socket.create_connection((host, port), timeout=10)
            s.sendall(b"POST /api/v2/alerts HTTP/1.1\r\nHost: rbx\r\nContent-Length: 5\r\n")
            held.append(s)
        def timed(method, path, body=None, headers={}):
            start = time.monotonic()
            c = http.client.HTTPConnection(host, port, timeout=5)
            try:
                c.request(method, path, body=body, headers=headers)
                status = c.getresponse().status
            except Exception as error:
                status = str(error)
            return status, round((time.monotonic() - start) * 1000)
        health, health_ms = timed("GET", "/healthz")
        post, post_ms = timed("POST", "/api/v2/alerts", b'[{"labels":{"alertname":"Flood"}}]',
                              {"Authorization": "Bearer " + token, "Content-Type": "application/json"})
        time.sleep(3.5)
        closed = 0
        for s in held:
            s.settimeout(0.01)
            try:
                closed += s.recv(1) == b""
            except (ConnectionResetError, BrokenPipeError):
                closed += 1
            except socket.timeout:
                pass
        print(json.dumps({"held": len(held), "healthz": health, "healthz_ms": health_ms,
                          "post": post, "post_ms": post_ms, "closed": closed}))
        """#

    @Test func halfOpenConnectionsCannotCrowdOutHealthChecksOrAlerts() async throws {
        let directory = try ServeProcess.catalog(runbooks: [:], server: "  header_timeout: 2s")
        let server = ServeProcess(directory: directory)
        try await server.start(logLevel: "info", launcher: ["/usr/bin/prlimit", "--nofile=1024:1024", "--"])
        #expect(server.log().contains("descriptors=1024"), "\(server.log())")
        let result = try await ServeProcess.tool([
            "python3", "-c", Self.slowloris, "127.0.0.1", "\(server.port)", ServeProcess.token, "1100",
        ])
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], "\(result.stderr)")
        #expect(report["held"] as? Int == 1100)
        #expect(report["healthz"] as? Int == 200, "\(report)")
        #expect(report["post"] as? Int == 200, "\(report)")
        #expect((report["healthz_ms"] as? Int ?? .max) < 2000, "\(report)")
        // Every held connection is gone: evicted for newer ones, or closed at the header deadline.
        #expect(report["closed"] as? Int == 1100, "\(report)")
        #expect(try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"After"}}]"#).stdout == "200")
        await server.stop()
    }
}
