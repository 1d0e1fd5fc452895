import Foundation
import RunbookEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("timeouts terminate the whole process group")
struct ProcessTimeoutTests {
    @Test("the child leads a new session and process group, not rbx's")
    func childLeadsItsOwnGroup() async throws {
        // /proc/self/stat: pid (comm) state ppid pgrp session ...
        let result = try await ProcessTestSupport.run(["cat", "/proc/self/stat"])
        let text = ProcessTestSupport.text(result.stdout)
        let pid = text.split(separator: " ").first.map(String.init)
        let afterComm = text[(text.lastIndex(of: ")") ?? text.startIndex)...].split(separator: " ")
        let fields = afterComm.dropFirst().map(String.init)  // state ppid pgrp session
        #expect(fields.count > 4)
        #expect(fields[2] == pid, "process group id is the child's pid")
        #expect(fields[3] == pid, "session id is the child's pid")
        #expect(fields[2] != String(getpgrp()))
    }

    @Test("at the timeout the group gets SIGTERM and a sleeping grandchild does not outlive it")
    func grandchildDoesNotOutliveTimeout() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let pidFile = directory + "/grandchild.pid"
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "sleep 300 & echo $! > \(pidFile); wait"],
            timeout: .seconds(1), killGrace: .milliseconds(500))
        #expect(result.timedOut)
        #expect(!result.succeeded)
        #expect(result.termination == .signaled(SIGTERM))
        #expect(result.duration >= .seconds(1))
        #expect(result.duration < .seconds(60), "the 300 s sleep was not cut off")
        let grandchild = try #require(await ProcessTestSupport.readPID(pidFile))
        #expect(await ProcessTestSupport.waitUntilDead(grandchild))
    }

    @Test("a group that ignores SIGTERM is killed with SIGKILL after the grace period")
    func ignoringTermLeadsToKill() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let pidFile = directory + "/grandchild.pid"
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "trap '' TERM; sleep 300 & echo $! > \(pidFile); wait"],
            timeout: .seconds(1), killGrace: .milliseconds(500))
        #expect(result.timedOut)
        #expect(result.termination == .signaled(SIGKILL))
        #expect(result.duration >= .milliseconds(1500))
        #expect(result.duration < .seconds(60), "the TERM-ignoring child was not killed")
        let grandchild = try #require(await ProcessTestSupport.readPID(pidFile))
        #expect(await ProcessTestSupport.waitUntilDead(grandchild))
    }

    @Test("a child that handles SIGTERM may exit within the grace, and still did not succeed")
    func gracefulExitAfterTerm() async throws {
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "trap 'echo cleaning up; exit 0' TERM; echo started; sleep 300 & wait"],
            timeout: .seconds(1), killGrace: .seconds(2))
        #expect(result.timedOut)
        #expect(result.termination == .exited(0))
        #expect(!result.succeeded)
        #expect(ProcessTestSupport.text(result.stdout) == "started\ncleaning up\n")
        #expect(result.duration < .seconds(60))
    }

    @Test("a child that exited before its deadline is not timed out when rbx sees it only after the deadline")
    func exitNoticedLateIsNotATimeout() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        // The hold must land while the child runs; on a machine too busy for that, try again.
        for attempt in 1...3 {
            let started = "\(directory)/started-\(attempt)"
            let executor = HeldExecutor()
            async let outcome = withTaskExecutorPreference(executor) {
                try await ProcessTestSupport.run(
                    ["/bin/sh", "-c", "touch \(started); sleep 0.5; echo done"], timeout: .seconds(1))
            }
            while !FileManager.default.fileExists(atPath: started) {
                try await Task.sleep(for: .milliseconds(2))
            }
            // The runner's tasks get no thread from before the child exits until after the deadline.
            executor.hold()
            try await Task.sleep(for: .seconds(2))
            executor.release()
            let result = try await outcome
            guard result.duration >= .seconds(1) else { continue }
            #expect(!result.timedOut, "the child ended on its own at 0.5 s; only the runner was late")
            #expect(result.succeeded)
            #expect(ProcessTestSupport.text(result.stdout) == "done\n")
            return
        }
        Issue.record("the runner was never held past the deadline while the child ran")
    }

    @Test("a fast command is not marked timed out")
    func fastCommandDoesNotTimeOut() async throws {
        let result = try await ProcessTestSupport.run(["true"], timeout: .seconds(60))
        #expect(result.succeeded)
        #expect(!result.timedOut)
    }

    @Test("when the child exits, what is left of its group is killed and the run returns at once")
    func backgroundedGrandchildIsCleanedUp() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let pidFile = directory + "/grandchild.pid"
        // The grandchild inherits stdout, so waiting for end-of-file alone would hang.
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "sleep 300 & echo $! > \(pidFile); echo done"], timeout: .seconds(120))
        #expect(result.succeeded)
        #expect(ProcessTestSupport.text(result.stdout) == "done\n")
        #expect(result.duration < .seconds(60), "waited for the 300 s grandchild")
        let grandchild = try #require(await ProcessTestSupport.readPID(pidFile))
        #expect(await ProcessTestSupport.waitUntilDead(grandchild))
    }

    @Test("cancelling the calling task tears the group down and throws cancelled")
    func cancellationTearsDownGroup() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let pidFile = directory + "/grandchild.pid"
        let task = Task {
            try await ProcessTestSupport.run(
                ["/bin/sh", "-c", "sleep 300 & echo $! > \(pidFile); wait"],
                timeout: .seconds(30), killGrace: .milliseconds(500))
        }
        let grandchild = try #require(await ProcessTestSupport.readPID(pidFile))
        let start = ContinuousClock.now
        task.cancel()
        do {
            _ = try await task.value
            Issue.record("a cancelled run returned a result")
        } catch let error as CommandRunnerError {
            #expect(error.code == .cancelled)
        }
        #expect(ContinuousClock.now - start < .seconds(25), "cancellation waited for the 30 s timeout")
        #expect(await ProcessTestSupport.waitUntilDead(grandchild))
    }
}

@Suite("stragglers cannot keep a finished step alive")
struct ProcessStragglerTests {
    @Test("a grandchild that keeps writing after the child exits is killed, not waited for")
    func writingGrandchildIsKilled() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let pidFile = directory + "/grandchild.pid"
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "cat /dev/zero & echo $! > \(pidFile); echo started"],
            timeout: .seconds(120), outputLimit: 1024)
        #expect(result.succeeded)
        #expect(!result.timedOut, "waited for the grandchild instead of killing it")
        let grandchild = try #require(await ProcessTestSupport.readPID(pidFile))
        #expect(await ProcessTestSupport.waitUntilDead(grandchild))
    }
}
