import RunbookCore
import RunbookYAML
import Testing

@Suite("JSON paths and output extraction")
struct JSONPathTests {
    static let here = SourceLocation(file: "runbooks/x.yaml", line: 1, column: 1)
    static let document = #"""
        {"data": {"result": [
          {"metric": {"instance": "db-1", "app.kubernetes.io/name": "pg"}, "value": [1700000000, "42.5"]},
          {"metric": {"instance": "db-2"}, "value": [1700000000, "7"]}
        ], "count": 2, "ok": true, "none": null}}
        """#

    @Test(arguments: [
        (".data.count", "2"),
        (".data.ok", "true"),
        (".data.none", ""),
        (".data.result[0].metric.instance", "db-1"),
        (".data.result[-1].value[1]", "7"),
        (".data.result[].metric.instance", #"["db-1", "db-2"]"#),
        (#".data.result[0].metric."app.kubernetes.io/name""#, "pg"),
        (#".data.result[0].metric["app.kubernetes.io/name"]"#, "pg"),
        (".data.result[].value[]", #"[1700000000, "42.5", 1700000000, "7"]"#),
        (".data.missing.deeper", ""),
        (".data.result[5]", ""),
        (".data.count[]", "[]"),
    ])
    func selects(path: String, expected: String) throws {
        let parsed = try JSONPath.parse(path).get()
        let output = StepOutput(name: Located("x", at: Self.here), extraction: .json(parsed))
        #expect(output.extract(stdout: Self.document, stderr: "").text == expected, "\(path)")
        #expect(try JSONPath.parse(parsed.description).get() == parsed, "\(path) prints as \(parsed)")
    }

    @Test(arguments: [
        ("data", #"a JSON path starts with ".", as in .data.count"#),
        (".", nil),
        (".a.", #"expected a name after ".""#),
        (".a[x]", #"expected a whole number, "]" or a quoted name after "[""#),
        (#".a["x"#, #"expected "]" after the quoted name"#),
        (".a b", #"unexpected " "; write .name, [0] or []"#),
    ])
    func refuses(path: String, message: String?) {
        switch JSONPath.parse(path) {
        case .success: #expect(message == nil, "\(path)")
        case .failure(let error): #expect(error.message == message, "\(path)")
        }
    }

    @Test("output that is not JSON, or empty, gives no value")
    func notJSON() throws {
        let output = StepOutput(name: Located("x", at: Self.here), extraction: .json(try JSONPath.parse(".a").get()))
        #expect(output.extract(stdout: "Error: 502 Bad Gateway", stderr: "") == .null)
        #expect(output.extract(stdout: "", stderr: "") == .null)
        #expect(output.extract(stdout: String(repeating: "[", count: 100_000), stderr: "") == .null)
    }

    @Test("every match moves past empty matches and keeps group 1")
    func allMatches() throws {
        let regex = try LinearRegex("a*")
        #expect(regex.allMatches(in: "baa") == ["", "aa", ""])
        let pids = StepOutput(
            name: Located("p", at: Self.here), extraction: .allMatches(try AnchoredPattern(#"pid=(\d+)"#)))
        #expect(
            pids.extract(stdout: "pid=1 pid=22 pid= pid=333", stderr: "")
                == .list(["1", "22", "333"].map { .string($0) }))
        #expect(try LinearRegex("é*").allMatches(in: "aéé").count == 3)
    }
}
