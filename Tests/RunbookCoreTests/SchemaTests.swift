import Foundation
import RunbookCore
import Testing

/// The JSON Schema editors use must accept what lint accepts and refuse unknown keys.
struct SchemaTests {
    @Test("every key the decoders know has a schema")
    func coversEveryKey() {
        #expect(CatalogSchema.keysWithoutSchema == [])
    }

    /// Validates YAML files against the schema with Python's jsonschema (a real, independent
    /// validator, as an editor would use), converting YAML with PyYAML.
    private func validate(_ files: [URL]) throws -> (status: Int32, output: String) {
        let schema = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rbx-schema-\(UUID().uuidString).json")
        try CatalogSchema.json().write(to: schema, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: schema) }
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft7Validator(schema)
            bad = 0
            for path in sys.argv[2:]:
                for error in validator.iter_errors(yaml.safe_load(open(path))):
                    bad += 1
                    print(path, "/".join(map(str, error.absolute_path)), error.message)
            sys.exit(1 if bad else 0)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, schema.path] + files.map(\.path)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    @Test("the example catalog validates against the schema")
    func exampleCatalogValidates() throws {
        let root = TestCatalog.repositoryRoot
        var files = [root.appendingPathComponent("rbx.yaml")]
        for directory in ["runbooks", "playbooks", "tests"] {
            let url = root.appendingPathComponent(directory)
            files += try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".yaml") }.map
            { url.appendingPathComponent($0) }
        }
        let result = try validate(files)
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("the schema refuses an unknown key and a malformed duration")
    func refusesMistakes() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-bad-\(UUID().uuidString).yaml")
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: bad }
        match: { labels: { alertname: X } }
        steps:
          - { id: a, kind: diagnostic, run: [true], timout: 5s, interval: 5 minutes }
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try validate([file])
        #expect(result.status == 1)
        #expect(result.output.contains("'timout' was unexpected"))
        let test = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-bad-\(UUID().uuidString).yaml")
        try """
        apiVersion: rbx/v1
        kind: RunbookTest
        tests:
          - name: typo
            alert: examples/alerts/x.json
            expect: { outcome: resolvd, steps: { a: passed } }
        """.write(to: test, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: test) }
        let testResult = try validate([test])
        #expect(testResult.status == 1)
        #expect(testResult.output.contains("'resolvd' is not one of"), "\(testResult.output)")
        #expect(testResult.output.contains("'passed' is not one of"), "\(testResult.output)")
        #expect(result.output.contains("'5 minutes' is not valid under any of the given schemas"))
    }
}
