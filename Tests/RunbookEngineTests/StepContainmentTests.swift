import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Issue 13, item 5: a step that calls `setsid` or double-forks left processes running after
/// its end and its timeout. Here without a subreaper (the library's own scan of `/proc`); the
/// `rbx` binary's adopting path is tested in rbxTests.
@Suite struct StepContainmentTests {
    @Test func processesThatLeaveTheGroupDoNotOutliveTheirStep() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alert = EngineFixture.alert("Escape", labels: ["dir": directory.path])
        let record = try await EngineFixture.run("escaping-processes", alert: alert, mode: .live)
        #expect(record.steps.first { $0.id == "daemonize" }?.status == .ok)
        #expect(record.steps.first { $0.id == "daemonize_and_hang" }?.status == .timedOut)
        for name in ["first", "second", "third", "fourth"] {
            let pid = try Self.pid(in: directory.appendingPathComponent("\(name).pid"))
            #expect(await Self.ends(pid), "\(name) (pid \(pid)) outlived its step")
        }
    }

    static func pid(in file: URL) throws -> pid_t {
        let text = try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        return try #require(pid_t(text))
    }

    /// Whether the process is gone (or a zombie waiting for init) within a short while: the
    /// kill is sent before the step's result is returned, the exit follows within milliseconds.
    static func ends(_ pid: pid_t) async -> Bool {
        for _ in 0..<100 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return true }
            if stat[stat.index(close, offsetBy: 2)] == "Z" { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
