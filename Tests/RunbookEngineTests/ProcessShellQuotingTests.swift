import Foundation
import RunbookEngine
import Testing

@Suite("ShellQuoting makes any value one literal sh word")
struct ProcessShellQuotingTests {
    @Test(
        "quote produces POSIX single-quoted words",
        arguments: [
            ("it's", #"'it'\''s'"#),
            ("", "''"),
            ("plain", "'plain'"),
            ("A=b", "'A=b'"),
            ("''", #"''\'''\'''"#),
            ("$(id)", "'$(id)'"),
        ])
    func quoteExamples(value: String, expected: String) {
        #expect(ShellQuoting.quote(value) == expected)
    }

    /// Values that would run a command, expand, split or glob if they reached `sh` unquoted.
    /// They only ever `touch` a marker file: a broken quote must not be able to do harm.
    static func hostileValues(marker: String) -> [String] {
        [
            "x; touch \(marker)", "$(touch \(marker))", "`touch \(marker)`", "a b", "*", "line1\nline2",
            "{{x}}", "it's", "'; touch \(marker); '", "\"; touch \(marker); \"", "back\\slash\\n", "$HOME",
            "${PATH:-x}", "~", "-n", "", "  lead and trail  ", "a && touch \(marker)", "> \(marker)",
            "\u{1b}[31mred", "é 😀", "$'\\x41'",
        ]
    }

    @Test("sh prints each quoted hostile value exactly and runs nothing")
    func hostileValuesThroughSh() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let marker = directory + "/pwned"
        for value in Self.hostileValues(marker: marker) {
            let script = "printf '%s' " + ShellQuoting.quote(value)
            let result = try await ProcessTestSupport.run(["/bin/sh", "-c", script])
            #expect(result.succeeded, "value: \(value)")
            #expect(ProcessTestSupport.text(result.stdout) == value, "value: \(value)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("echo of a quoted value prints it exactly (values echo itself leaves alone)")
    func hostileValuesThroughEcho() async throws {
        let directory = try ProcessTestSupport.makeDirectory()
        defer { ProcessTestSupport.removeDirectory(directory) }
        let marker = directory + "/pwned"
        // dash's echo interprets backslashes and `-n` itself, after quoting did its job.
        let values = Self.hostileValues(marker: marker).filter { !$0.contains("\\") && $0 != "-n" }
        for value in values {
            let result = try await ProcessTestSupport.run(["/bin/sh", "-c", "echo " + ShellQuoting.quote(value)])
            #expect(ProcessTestSupport.text(result.stdout) == value + "\n", "value: \(value)")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test("join quotes every word")
    func joinQuotesEachWord() {
        #expect(ShellQuoting.join(["docker", "ps", "a b", "it's"]) == #"'docker' 'ps' 'a b' 'it'\''s'"#)
    }
}
