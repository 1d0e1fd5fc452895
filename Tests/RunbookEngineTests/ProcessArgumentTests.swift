import Foundation
import RunbookEngine
import Testing

@Suite("argv reaches the program verbatim")
struct ProcessArgumentTests {
    @Test("each hostile argv element arrives as exactly one argument and nothing is executed")
    func hostileArgumentsAreLiteral() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let marker = directory + "/SOMEFILE"
        let hostile = [
            "x; rm -rf /", "$(touch \(marker))", "`id`", "a b", "*", "line1\nline2", "{{x}}",
            "'quoted'", "\"double\"", "back\\slash", "-n", "", "  ", "|| touch \(marker)", "> \(marker)",
            "é ü 😀",
        ]
        let result = try await ProcessTestSupport.run(["/usr/bin/printf", "%s\\0"] + hostile)
        #expect(result.succeeded)
        let received = result.stdout.split(separator: 0, omittingEmptySubsequences: false).dropLast()
            .map { ProcessTestSupport.text(Array($0)) }
        #expect(received == hostile)
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("argv[0] is passed as written, and a bare name is found in the child's PATH")
    func programNameIsPassedAsWritten() async throws {
        let result = try await ProcessTestSupport.run(["cat", "/proc/self/cmdline"])
        #expect(result.stdout == Array("cat\0/proc/self/cmdline\0".utf8))
    }

    @Test("a program path relative to the working directory runs the file there")
    func relativeProgramPathUsesWorkingDirectory() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let script = directory + "/hello.sh"
        // Written through a close-on-exec descriptor: Foundation's file writing leaves its descriptor
        // inheritable, and a process another test spawns meanwhile would hold the script open for
        // writing, so running it would fail with "Text file busy" (seen once in CI).
        let descriptor = open(script, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        #expect(descriptor >= 0)
        let text = Array("#!/bin/sh\necho hello from \"$1\"\n".utf8)
        #expect(text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) } == text.count)
        #expect(close(descriptor) == 0)
        let result = try await ProcessTestSupport.run(["./hello.sh", "a b"], workingDirectory: directory)
        #expect(ProcessTestSupport.text(result.stdout) == "hello from a b\n")
    }

    @Test("a NUL byte in an argument is refused before anything runs")
    func nulByteIsRefused() async {
        let error = await ProcessTestSupport.error(["/usr/bin/printf", "a\0b"])
        #expect(error?.code == .invalidInvocation)
        #expect(error?.description == "cannot run '/usr/bin/printf': argv[1] contains a NUL byte")
    }

    @Test("an empty argv is refused")
    func emptyArgvIsRefused() async {
        let error = await ProcessTestSupport.error([])
        #expect(error?.code == .invalidInvocation)
    }
}
