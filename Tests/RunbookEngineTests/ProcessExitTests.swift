import Foundation
import RunbookEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("a failed command is a result; only failing to start throws")
struct ProcessExitTests {
    @Test("a non-zero exit is a normal result with its output")
    func nonZeroExitIsAResult() async throws {
        let result = try await ProcessTestSupport.run(["/bin/sh", "-c", "echo out; echo err >&2; exit 7"])
        #expect(result.termination == .exited(7))
        #expect(result.exitCode == 7)
        #expect(!result.succeeded && !result.timedOut)
        #expect(ProcessTestSupport.text(result.stdout) == "out\n")
        #expect(ProcessTestSupport.text(result.stderr) == "err\n")
    }

    @Test("a death by signal is a result")
    func signalIsAResult() async throws {
        let result = try await ProcessTestSupport.run(["/bin/sh", "-c", "kill -KILL $$"])
        #expect(result.termination == .signaled(SIGKILL))
        #expect(result.signal == SIGKILL)
        #expect(!result.succeeded)
    }

    @Test("a program that is not in PATH throws programNotFound naming it")
    func programNotFound() async {
        let error = await ProcessTestSupport.error(["rbx-no-such-program"])
        #expect(error?.code == .programNotFound)
        #expect(error?.program == "rbx-no-such-program")
        #expect(error?.description == "cannot run 'rbx-no-such-program': not found in PATH (/usr/bin:/bin)")
    }

    @Test("a missing absolute path throws programNotFound with the OS error")
    func missingPath() async {
        let error = await ProcessTestSupport.error(["/nonexistent/rbx-tool", "--flag"])
        #expect(error?.code == .programNotFound)
        #expect(error?.errno == ENOENT)
        #expect(error?.description.hasPrefix("cannot run '/nonexistent/rbx-tool': /nonexistent/rbx-tool: ") == true)
    }

    @Test("a file that is not executable, or a directory, throws permissionDenied")
    func notExecutable() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let file = directory + "/plain.txt"
        try "echo hi\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(chmod(file, 0o644) == 0)
        if getuid() != 0 {  // root may execute anything with an x bit; 0644 has none either way
            let error = await ProcessTestSupport.error([file])
            #expect(error?.code == .permissionDenied)
        }
        let plain = await ProcessTestSupport.error([file])
        #expect(plain?.code == .permissionDenied)
        let directoryError = await ProcessTestSupport.error([directory])
        #expect(directoryError?.code == .permissionDenied)
        #expect(directoryError?.message == "\(directory) is not a regular file")
    }

    @Test("duration is wall time from spawn to exit")
    func durationIsMeasured() async throws {
        let result = try await ProcessTestSupport.run(["sleep", "0.3"])
        #expect(result.succeeded)
        #expect(result.duration >= .milliseconds(300))
        #expect(result.duration < .seconds(60))
    }

    @Test("runs can proceed concurrently: every child is running before any has finished")
    func concurrentRuns() async throws {
        // Each child prints when it started and when it ended (epoch nanoseconds); if the runs
        // overlap, the latest start comes before the earliest end. No wall-time bound.
        let script = "date +%s%N; sleep 2; date +%s%N"
        let spans = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let result = try await ProcessTestSupport.run(["/bin/sh", "-c", script], timeout: .seconds(120))
                    return ProcessTestSupport.text(result.stdout).split(separator: "\n").compactMap { Int($0) }
                }
            }
            var spans: [[Int]] = []
            for try await span in group { spans.append(span) }
            return spans
        }
        #expect(spans.count == 4 && spans.allSatisfy { $0.count == 2 })
        let latestStart = spans.compactMap(\.first).max() ?? 0
        let earliestEnd = spans.compactMap(\.last).min() ?? 0
        #expect(latestStart < earliestEnd)
    }

    @Test("succeeded means exited(0) within the timeout")
    func succeededSemantics() {
        #expect(CommandResult(termination: .exited(0)).succeeded)
        #expect(!CommandResult(termination: .exited(0), timedOut: true).succeeded)
        #expect(!CommandResult(termination: .exited(1)).succeeded)
        #expect(!CommandResult(termination: .signaled(15)).succeeded)
        #expect(CommandResult.Termination.signaled(9).description == "signaled(9)")
    }

    @Test("an invocation's description names the program but no argument or environment value")
    func descriptionIsLogSafe() {
        let invocation = CommandInvocation(
            argv: ["curl", "-H", "Authorization: Bearer s3cr3t"], environment: ["TOKEN": "s3cr3t", "PATH": "/usr/bin"],
            timeout: .seconds(30))
        #expect(
            invocation.description
                == "CommandInvocation(program: curl, arguments: 2, environment: [PATH, TOKEN], timeout: 30.0 seconds)")
        #expect(!invocation.description.contains("s3cr3t"))
    }
}
