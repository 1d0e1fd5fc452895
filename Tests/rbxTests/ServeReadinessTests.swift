import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13, item 7: `/readyz` is 503 while the store cannot write (the file system under the
/// SQLite file is full), and 200 again once it can. Needs root to mount a small tmpfs; CI runs
/// as root.
@Suite(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct ServeReadinessTests {
    @Test func readinessFollowsWhetherTheStoreCanWrite() async throws {
        let directory = try ServeProcess.catalog(runbooks: [:])
        let mount = directory + "/db"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        #expect(try await ServeProcess.tool(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount]).status == 0)
        defer { _ = Glibc.umount2(mount, Int32(MNT_DETACH)) }
        let config = directory + "/rbx.yaml"
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(
                of: "store: sqlite:\(directory)/state.sqlite", with: "store: sqlite:\(mount)/state.sqlite"
            )
            .write(toFile: config, atomically: true, encoding: .utf8)
        let server = ServeProcess(directory: directory)
        try await server.start()
        #expect(try await Self.status(server.url + "/readyz") == "200")

        // Fill the file system (dd stops at ENOSPC): the next write to SQLite's journal fails.
        _ = try await ServeProcess.tool(["dd", "if=/dev/zero", "of=\(mount)/fill", "bs=1M"])
        #expect(try await Self.status(server.url + "/readyz") == "503")
        #expect(try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"A"}}]"#).stdout == "503")
        #expect(try await Self.status(server.url + "/healthz") == "200", "the process itself is fine")

        try FileManager.default.removeItem(atPath: "\(mount)/fill")
        #expect(await eventually { (try? await Self.status(server.url + "/readyz")) == "200" })
        #expect(try await server.post("/api/v2/alerts", json: #"[{"labels":{"alertname":"A"}}]"#).stdout == "200")
        await server.stop()
    }

    static func status(_ url: String) async throws -> String {
        try await ServeProcess.tool(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", url]).stdout
    }
}
