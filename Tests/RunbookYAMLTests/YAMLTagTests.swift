import Foundation
import RunbookYAML
import Testing

/// Issue 13: tags were dropped, so `run: !!python/object/apply:os.system ["id"]` linted clean
/// and ran `id`; a 1,000,000-key mapping did not finish its duplicate check in 30 s.
@Suite struct YAMLTagTests {
    private func parse(_ text: String) throws(YAMLError) -> YAMLNode? {
        try YAMLParser.parse(Array(text.utf8), file: "runbooks/t.yaml")
    }

    @Test(arguments: [
        ("run: !!python/object/apply:os.system [\"id\"]\n", 1, 6, "tag !!python/object/apply:os.system"),
        ("steps:\n  - id: x\n    run: !shell 'id'\n", 3, 10, "tag !shell"),
        ("a: !!binary aGVsbG8=\n", 1, 4, "tag !!binary"),
        ("a: !<tag:example.com,2000:app/x> {}\n", 1, 4, "tag tag:example.com,2000:app/x"),
        ("a: !!map [1, 2]\n", 1, 4, "tag !!map"),
        ("a: !!int five\n", 1, 4, "!!int on \"five\", which is not a number"),
    ])
    func aTagOutsideTheCoreSchemaIsALocatedError(_ text: String, line: Int, column: Int, message: String) {
        let error = #expect(throws: YAMLError.self) { try parse(text) }
        #expect(error?.code == .unsupportedTag)
        #expect(error?.location.line == line)
        #expect(error?.location.column == column)
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "")")
        #expect(error?.code.description == "unsupported-tag")
    }

    @Test func coreSchemaTagsAreRead() throws {
        let root = try #require(try parse("a: !!str 123\nb: !!int 7\nc: ! true\nd: !!seq [x]\ne: !!map {k: v}\n"))
        #expect(root["a"]?.scalar == YAMLScalar(value: "123", style: .singleQuoted), "!!str makes a string")
        #expect(root["a"]?.scalar?.coreSchemaNonStringType == nil)
        #expect(root["b"]?.scalar?.coreSchemaNonStringType == "number")
        #expect(root["c"]?.scalar?.coreSchemaNonStringType == nil, "! (non-specific) is a string")
        #expect(root["d"]?.sequence?.count == 1)
        #expect(root["e"]?["k"]?.scalar?.value == "v")
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let root = try #require(try YAMLParser.parse([0xEF, 0xBB, 0xBF] + Array("a: 1\nb: x\n".utf8), file: "t.yaml"))
        #expect(root["b"]?.scalar?.value == "x")
        #expect(root.mapping?.first?.keyStart == SourcePosition(line: 1, column: 1))
    }

    @Test(.timeLimit(.minutes(1))) func duplicateKeysAreFoundInLinearTime() async throws {
        // 300,000 keys: quadratic checking took 11 s for 80,000 (about 150 s for these).
        var text = ""
        text.reserveCapacity(4_000_000)
        for index in 0..<300_000 { text += "k\(index): v\n" }
        let document = text
        // Seconds of parsing run on a thread of their own, not one of the few the concurrency
        // pool shares with the suite's other tests (which would stall their waits).
        let parsed = await onOwnThread { Result { () throws(YAMLError) in try self.parse(document) } }
        #expect(try parsed.get()?.mapping?.count == 300_000)
        let duplicated = await onOwnThread {
            Result { () throws(YAMLError) in try self.parse(document + "k150000: again\n") }
        }
        let error = #expect(throws: YAMLError.self) { try duplicated.get() }
        #expect(error?.code == .duplicateKey)
        #expect(error?.location.line == 300_001)
        #expect(error?.message.contains("first defined at line 150001, column 1") == true)
        // Small mappings, scanned rather than indexed, find duplicates the same way.
        #expect(throws: YAMLError.self) { try parse("a: 1\nb: 2\na: 3\n") }
    }

    private func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
