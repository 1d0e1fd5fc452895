import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

#if canImport(Glibc)
    import Glibc
#endif

/// A real Prometheus (Debian's `prometheus` package, `/usr/bin/prometheus`) on 127.0.0.1, for
/// the tests of `query:` steps: no scrape targets, a throwaway TSDB, a free port.
///
/// Queries the tests send are constant expressions (`vector(42)`, `scalar(vector(3))`,
/// `label_replace(…)`), which need no data. Spawned with `posix_spawn` and reaped by hand, as
/// ``PostgresTestCluster`` does (Foundation's `Process` does not mix with swift-subprocess in
/// one test process); ``stop()`` ends it (SIGTERM, then SIGKILL) and removes its directory.
///
/// ```swift
/// let prometheus = try await PrometheusTestServer.start()
/// defer { prometheus.stop() }
/// // ask prometheus.url
/// ```
public final class PrometheusTestServer: Sendable {
    public static let binary = "/usr/bin/prometheus"
    /// Whether the tests can run: without the binary they are skipped with this reason.
    public static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: binary) }
    public static let missing = "needs Debian's prometheus package (\(binary)); scripts/install-deps --test installs it"

    public let url: String
    public let pid: pid_t
    let directory: String

    private init(url: String, pid: pid_t, directory: String) {
        self.url = url
        self.pid = pid
        self.directory = directory
    }

    /// Starts Prometheus and waits (up to 30 s) until `/-/ready` answers 200.
    /// - Throws: ``PostgresTestClusterError`` (a test-support error with the log's tail) when it
    ///   does not start.
    public static func start() async throws -> PrometheusTestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rbx-prometheus-\(UUID().uuidString)"
        ).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try "global:\n  scrape_interval: 1m\n".write(
            toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        let port = try LocalServerProcess.freePort()
        let pid = try LocalServerProcess.spawn(
            [
                binary, "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                "--web.listen-address=127.0.0.1:\(port)",
            ], log: directory + "/log")
        let server = PrometheusTestServer(url: "http://127.0.0.1:\(port)", pid: pid, directory: directory)
        for _ in 0..<300 {
            if await server.isReady() { return server }
            try await Task.sleep(for: .milliseconds(100))
        }
        let log = (try? String(contentsOfFile: directory + "/log", encoding: .utf8)) ?? ""
        server.stop()
        throw PostgresTestClusterError("prometheus did not become ready:\n\(log.suffix(2_000))")
    }

    /// Ends the server and removes its directory.
    public func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) != 0 { break }
            usleep(20_000)
        }
        if kill(pid, 0) == 0 {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
        }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func isReady() async -> Bool {
        let answer = try? await HTTPClient.shared.execute(
            HTTPClientRequest(url: url + "/-/ready"), timeout: .seconds(2))
        return answer?.status == .ok
    }
}
