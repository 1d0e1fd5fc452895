import Foundation
import RunbookEngine
import Testing

@Suite("output is capped, drained and counted; input is delivered")
struct ProcessOutputTests {
    static let mebibyte = 1024 * 1024

    @Test("5 MiB on each stream with a 1 MiB limit: no deadlock, 1 MiB kept, truncation recorded")
    func outputIsCappedNotFailed() async throws {
        // stderr first: a runner that read stdout to the end before touching stderr would
        // deadlock here, with the child blocked on a full stderr pipe.
        let script = "yes stderr-line | head -c 5242880 >&2; yes stdout-line | head -c 5242880"
        // A deadlock never ends, so the bound only has to outlast a slow machine (seen: 20 s was
        // not enough with every suite and two builds sharing 2 cores).
        let result = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", script], timeout: .seconds(120), outputLimit: Self.mebibyte)
        // Compared into booleans first: a failed #expect on the result itself prints megabytes.
        let succeeded = result.succeeded
        #expect(succeeded, "termination \(result.termination), timed out: \(result.timedOut)")
        let (stdoutCount, stderrCount) = (result.stdout.count, result.stderr.count)
        #expect(stdoutCount == Self.mebibyte)
        #expect(stderrCount == Self.mebibyte)
        #expect(result.stdoutTruncated && result.stderrTruncated)
        #expect(result.stdoutBytes == 5 * Self.mebibyte)
        #expect(result.stderrBytes == 5 * Self.mebibyte)
        let stdoutKept = result.stdout == Array(Self.repeating("stdout-line\n", count: Self.mebibyte))
        let stderrKept = result.stderr == Array(Self.repeating("stderr-line\n", count: Self.mebibyte))
        #expect(stdoutKept && stderrKept)
    }

    @Test("output of exactly the limit is not truncated; a zero limit keeps nothing")
    func limitBoundaries() async throws {
        let exact = try await ProcessTestSupport.run(
            ["/bin/sh", "-c", "head -c 4096 /dev/zero"], outputLimit: 4096)
        #expect(exact.stdout.count == 4096)
        #expect(!exact.stdoutTruncated)

        let none = try await ProcessTestSupport.run(["/bin/sh", "-c", "echo hi; echo there >&2"], outputLimit: 0)
        #expect(none.stdout.isEmpty && none.stderr.isEmpty)
        #expect(none.stdoutTruncated && none.stderrTruncated)
        #expect(none.stdoutBytes == 3 && none.stderrBytes == 6)
    }

    @Test("standard input bytes are delivered exactly, including binary and more than a pipe holds")
    func standardInputIsDelivered() async throws {
        let input = (0..<(300 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let result = try await ProcessTestSupport.run(["cat"], standardInput: input)
        #expect(result.succeeded)
        #expect(result.stdout == input)
    }

    @Test("without standard input the child reads /dev/null")
    func noInputIsDevNull() async throws {
        let result = try await ProcessTestSupport.run(["readlink", "/proc/self/fd/0"])
        #expect(ProcessTestSupport.text(result.stdout) == "/dev/null\n")
        let cat = try await ProcessTestSupport.run(["cat"])
        #expect(cat.succeeded && cat.stdout.isEmpty)
    }

    @Test("a child that never reads its input still ends normally")
    func unreadInputIsHarmless() async throws {
        let result = try await ProcessTestSupport.run(
            ["true"], standardInput: Array(repeating: 0x41, count: 4 * Self.mebibyte))
        #expect(result.succeeded)
    }

    static func repeating(_ line: String, count: Int) -> [UInt8] {
        let unit = Array(line.utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + unit.count)
        while bytes.count < count { bytes += unit }
        return Array(bytes.prefix(count))
    }
}
