import RunbookCore
import Testing

@Suite("Lint: structured outputs and expression types")
struct ExpressionTypeLintTests {
    @Test("types are checked where known, at the column; structured outputs are decoded with located errors")
    func typeErrors() async throws {
        let file = "runbooks/structured.yaml"
        let found = try await TestCatalog.diagnostics(runbooks: ["structured.yaml"])
        #expect(
            found == [
                "\(file):20:11: error: \">\" compares numbers or text; steps.df.outputs.used is a list of strings [type]",
                "\(file):20:46: error: len() takes a list, an object or a string; steps.df.ok is a boolean [type]",
                "\(file):20:67: error: steps.df.outputs.first is a string; it has no field \"x\" [type]",
                "\(file):21:21: error: \"*\" needs numbers; steps.df.outputs.used is a list of strings [type]",
                "\(file):21:72: error: weekday() gives mon, tue, wed, thu, fri, sat, sun; \"monday\" never matches [type]",
                "\(file):21:100: error: unknown time zone \"Mars/Base\"; use an IANA name such as \"Europe/Berlin\" or \"UTC\" [type]",
                "\(file):26:28: error: run argument: this function does not take a \"for\" list [interpolation]",
                "\(file):30:25: error: sum() takes a list of numbers; steps.df.outputs.mounts[0] is a string [type]",
                "\(file):30:77: error: steps.df.stdout is a string; only lists and objects can be indexed [type]",
                "\(file):30:91: error: \"-\" needs numbers; alert.labels is an object [type]",
                "\(file):33:20: error: outputs.bad.json: a JSON path starts with \".\", as in .data.count [json-path]",
                "\(file):34:13: error: outputs.both needs exactly one of regex, lines or json, found regex and lines [output-form]",
                "\(file):35:29: error: outputs.noall.all only applies to regex; lines and json already give lists [output-form]",
            ], "\(found.joined(separator: "\n"))")
    }
}
