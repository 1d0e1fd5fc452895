import Foundation
import RunbookEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Helpers shared by the process tests: real processes, short limits, scratch directories.
enum ProcessTestSupport {
    /// A minimal environment with the system `PATH`, for tests that look programs up by name.
    static let systemPath = ["PATH": "/usr/bin:/bin"]

    /// Runs `argv` with test-friendly defaults (a 30 s timeout, which only a hung command
    /// reaches even on a loaded machine; 0.5 s grace).
    static func run(
        _ argv: [String],
        environment: [String: String] = systemPath,
        workingDirectory: String? = nil,
        standardInput: [UInt8]? = nil,
        timeout: Duration = .seconds(30),
        killGrace: Duration = .milliseconds(500),
        outputLimit: Int = CommandInvocation.defaultOutputLimit
    ) async throws -> CommandResult {
        try await ProcessCommandRunner().run(
            CommandInvocation(
                argv: argv, environment: environment, workingDirectory: workingDirectory,
                standardInput: standardInput, timeout: timeout, killGrace: killGrace,
                outputLimit: outputLimit))
    }

    /// Runs `argv` and returns the error it throws, or `nil` if it ran.
    static func error(
        _ argv: [String], environment: [String: String] = systemPath, workingDirectory: String? = nil
    ) async -> CommandRunnerError? {
        do {
            _ = try await ProcessCommandRunner().run(
                CommandInvocation(argv: argv, environment: environment, workingDirectory: workingDirectory))
            return nil
        } catch {
            return error
        }
    }

    /// A fresh scratch directory, removed by the caller with `removeDirectory`.
    static func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("rbx-process-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func removeDirectory(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `pid` can no longer run: gone (`ESRCH`), or a zombie waiting for a reaper.
    ///
    /// A killed grandchild is re-parented to PID 1; in some containers PID 1 never reaps, so
    /// the dead process stays a zombie (state `Z`) and `kill(pid, 0)` still succeeds.
    static func isDead(_ pid: pid_t) -> Bool {
        if kill(pid, 0) == -1 && errno == ESRCH {
            return true
        }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else {
            return true
        }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state == "Z" || state == "X"
    }

    /// Polls `isDead` for up to `limit`.
    static func waitUntilDead(_ pid: pid_t, limit: Duration = .seconds(30)) async -> Bool {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if isDead(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isDead(pid)
    }

    /// Waits until `path` holds a pid (written by a child's `echo $! > path`), or `nil`.
    static func readPID(_ path: String, limit: Duration = .seconds(30)) async -> pid_t? {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while ContinuousClock.now < deadline {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }
}
