import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@Suite("Structured outputs: real processes, typed values, expressions in when and argv")
struct StructuredOutputTests {
    @Test("JSON, every match, lines and stderr outputs reach conditions and argv with their types")
    func structuredOutputsDriveTheRun() async throws {
        let record = try await EngineFixture.run("structured", alert: EngineFixture.alert("Structured"), mode: .live)
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        let api = try #require(steps["api"])
        #expect(api.outputs["lag"] == .list([.string("42.5"), .string("7")]))
        #expect(api.outputs["hosts"] == .list([.string("db-1"), .string("db-2")]))
        let df = try #require(steps["df"])
        #expect(df.outputs["used"] == .list([.string("41"), .string("93")]))
        #expect(df.outputs["lines"] == .list([.string("/ 41%"), .string("/var 93%")]))
        #expect(df.outputs["top"] == .string("41"))
        let missing = try #require(steps["missing"])
        #expect(missing.status == .failed)
        guard case .list(let complaint)? = missing.outputs["complaint"] else {
            Issue.record("stderr lines missing: \(missing.outputs)")
            return
        }
        #expect(complaint.count == 1 && complaint[0].text.contains("nonexistent-rbx-path"))
        // Not JSON: the output is absent rather than an error.
        #expect(missing.outputs["count"] == nil)
        let act = try #require(steps["act"])
        #expect(act.status == .ok)
        #expect(act.command == ["echo", "db-1", "41+93", "67", "db-1", "1", "/var 93%"])
        #expect(act.stdout == "db-1 41+93 67 db-1 1 /var 93%\n")
        #expect(steps["never"]?.status == .skipped)
    }

    @Test("outputs are kept as JSON in the run document, so a list stays a list in the evidence")
    func outputsEncodeAsJSON() throws {
        let result = StepResult(
            id: "df", kind: .diagnostic, status: .ok, origin: .executed, startedAt: .zero,
            outputs: ["used": .list([.string("41"), .number(93)]), "body": .object(["ok": .bool(true)])])
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(result.outputs), as: UTF8.self)
        #expect(json == #"{"body":{"ok":true},"used":["41",93]}"#)
        let decoded = try JSONDecoder().decode([String: ExpressionValue].self, from: Data(json.utf8))
        #expect(decoded == result.outputs)
        // Records written before outputs had types are strings, and read back as strings.
        let old = try JSONDecoder().decode([String: ExpressionValue].self, from: Data(#"{"calls":"3"}"#.utf8))
        #expect(old == ["calls": .string("3")])
    }
}
