import Foundation
import RunbookEngine
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("the child gets exactly the declared environment and descriptors")
struct ProcessEnvironmentTests {
    @Test("env prints only the given variables; rbx's own HOME does not leak")
    func environmentIsExact() async throws {
        #expect(ProcessInfo.processInfo.environment["HOME"] != nil, "precondition: the test process has HOME")
        let result = try await ProcessTestSupport.run(
            ["/usr/bin/env"], environment: ["RBX_TEST": "a b=c", "LANG": "C"])
        let lines = ProcessTestSupport.text(result.stdout).split(separator: "\n").map(String.init).sorted()
        #expect(lines == ["LANG=C", "RBX_TEST=a b=c"])
    }

    @Test("an empty environment is empty")
    func emptyEnvironment() async throws {
        let result = try await ProcessTestSupport.run(["/usr/bin/env"], environment: [:])
        #expect(result.succeeded)
        #expect(result.stdout.isEmpty)
    }

    @Test("a bare name is not looked up in rbx's PATH when the child's environment has none")
    func noPathMeansNotFound() async {
        let error = await ProcessTestSupport.error(["env"], environment: [:])
        #expect(error?.code == .programNotFound)
        #expect(error?.description == "cannot run 'env': not found: PATH is not set in the command's environment")
    }

    @Test("a bare name is looked up in the child's PATH, skipping relative entries")
    func lookupUsesChildPath() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let script = directory + "/rbx-probe"
        // Written with O_CLOEXEC: a child another test forks meanwhile must not keep the file
        // open for writing, or running it fails with ETXTBSY ("Text file busy").
        let descriptor = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        #expect(descriptor >= 0)
        let body = Array("#!/bin/sh\necho probe\n".utf8)
        #expect(write(descriptor, body, body.count) == body.count)
        #expect(close(descriptor) == 0)

        let found = try await ProcessTestSupport.run(["rbx-probe"], environment: ["PATH": "/nonexistent:\(directory)"])
        #expect(ProcessTestSupport.text(found.stdout) == "probe\n")

        let relative = await ProcessTestSupport.error(
            ["rbx-probe"], environment: ["PATH": ".:"], workingDirectory: directory)
        #expect(relative?.code == .programNotFound)
        #expect(relative?.description == "cannot run 'rbx-probe': not found in PATH (.:)")
    }

    @Test(
        "a malformed environment is refused by key, never printing the value",
        arguments: [
            (["A=B": "x"], "environment key 'A=B' is not a valid variable name"),
            (["1ABC": "x"], "environment key '1ABC' is not a valid variable name"),
            (["": "x"], "environment key '' is not a valid variable name"),
            (["TOKEN": "sec\0ret"], "environment variable TOKEN contains a NUL byte"),
        ])
    func malformedEnvironment(environment: [String: String], message: String) async {
        let error = await ProcessTestSupport.error(["/usr/bin/env"], environment: environment)
        #expect(error?.code == .invalidInvocation)
        #expect(error?.message == message)
    }

    @Test("only descriptors 0, 1 and 2 are inherited")
    func onlyStandardDescriptorsAreInherited() async throws {
        // Open descriptors without close-on-exec, which a naive fork/exec would pass on.
        var leaked: [Int32] = []
        for _ in 0..<4 {
            let descriptor = open("/dev/null", O_RDONLY)
            #expect(descriptor > 2)
            leaked.append(descriptor)
        }
        defer { for descriptor in leaked { _ = close(descriptor) } }
        // `ls` opens /proc/self/fd itself, as fd 3, to list it.
        let result = try await ProcessTestSupport.run(["ls", "/proc/self/fd"])
        let listed = ProcessTestSupport.text(result.stdout).split(separator: "\n").map(String.init).sorted()
        #expect(listed == ["0", "1", "2", "3"])
    }

    @Test("signal dispositions and the signal mask are reset in the child")
    func signalsAreReset() async throws {
        // rbx (like any server) may ignore SIGPIPE; a step must not inherit that.
        _ = signal(SIGPIPE, SIG_IGN)
        let result = try await ProcessTestSupport.run(["cat", "/proc/self/status"])
        func mask(_ name: String) -> UInt64? {
            ProcessTestSupport.text(result.stdout).split(separator: "\n")
                .first { $0.hasPrefix(name + ":\t") }
                .flatMap { UInt64($0.dropFirst(name.count + 2), radix: 16) }
        }
        // Bit n-1 stands for signal n. Signals 32 and 33 are glibc's own (thread cancellation,
        // set*id broadcast); posix_spawn cannot reset them and programs cannot use them.
        let glibcInternal: UInt64 = (1 << 31) | (1 << 32)
        let ignored = try #require(mask("SigIgn"))
        #expect(ignored & (1 << (UInt64(SIGPIPE) - 1)) == 0, "SIGPIPE is not ignored")
        #expect(ignored & ~glibcInternal == 0)
        #expect(mask("SigBlk") == 0)
    }

    @Test("the working directory is applied, and a missing one is an error naming it")
    func workingDirectory() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let result = try await ProcessTestSupport.run(["/bin/pwd", "-P"], workingDirectory: directory)
        let expected = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(ProcessTestSupport.text(result.stdout) == expected + "\n")

        let missing = await ProcessTestSupport.error(["/bin/pwd"], workingDirectory: directory + "/missing")
        #expect(missing?.code == .workingDirectoryUnavailable)
        #expect(missing?.errno == ENOENT)
        #expect(missing?.message.contains(directory + "/missing") == true)
    }
}
