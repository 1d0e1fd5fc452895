import Foundation
import RunbookEngine

/// Runs the built `rbx` binary as a real process, for the tests that pin exact output and
/// exit codes of the command line.
enum RbxBinary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func fixture(_ name: String) -> String {
        repositoryRoot.appendingPathComponent("Tests/rbxTests/Fixtures/\(name)").path
    }

    static var path: String {
        for configuration in ["debug", "release"] {
            let candidate = repositoryRoot.appendingPathComponent(".build/\(configuration)/rbx").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/rbx").path
    }

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
    }

    /// Runs the binary without blocking a thread of the test's executor: the suite runs in
    /// parallel on two cores, and a blocking wait would stall every other test's processes.
    static func run(
        _ arguments: [String], in directory: URL = repositoryRoot, stdin: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Result {
        let invocation = CommandInvocation(
            argv: [path] + arguments, environment: environment, workingDirectory: directory.path,
            standardInput: stdin.map { Array($0.utf8) }, timeout: .seconds(300), killGrace: .seconds(2),
            outputLimit: 16 << 20)
        let result = try await ProcessCommandRunner().run(invocation)
        let status: Int32 =
            switch result.termination {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        return Result(
            stdout: String(decoding: result.stdout, as: UTF8.self),
            stderr: String(decoding: result.stderr, as: UTF8.self), status: status)
    }
}
