import RunbookCore
import RunbookYAML
import Testing

/// Issue 13, item 2: which argv elements alert data could turn into an option.
@Suite struct OptionInjectionTests {
    static func argv(_ elements: [String]) throws -> [InterpolatedText] {
        try elements.enumerated().map { index, text in
            InterpolatedText(
                text: text, interpolation: try Interpolation.parse(text),
                source: ScalarSource(
                    location: SourceLocation(file: "r.yaml", line: 3, column: 10 * index + 1),
                    style: .doubleQuoted))
        }
    }

    @Test(arguments: [
        (["ssh", "-o", "BatchMode=yes", "{{alert.labels.instance}}", "uptime"], [3]),
        (["df", "--", "{{alert.labels.mountpoint}}"], []),
        (["df", "{{alert.labels.a}}", "--", "{{alert.labels.b}}"], [1]),
        (["git", "--git-dir={{alert.labels.dir}}", "status"], []),
        (["echo", "{{alert.labels.a}}{{alert.labels.b}}", "x{{alert.labels.c}}"], [1]),
        (["restart", "{{inputs.service}}"], []),
        (["{{alert.labels.program}}"], []),
        (["kill", "{{steps.find.outputs.pid}}"], [1]),
        (["echo", "--ok", "-- ", "{{alert.name}}"], [3]),
    ])
    func guardedElements(_ elements: [String], guarded: [Int]) throws {
        #expect(OptionInjection.guardedElements(of: try Self.argv(elements)) == guarded)
    }

    @Test func aRenderedDashIsRefusedWithWhereItIsWritten() throws {
        let argv = try Self.argv(["ssh", "-o", "BatchMode=yes", "{{alert.labels.instance}}", "uptime"])
        let rendered = ["ssh", "-o", "BatchMode=yes", "-oProxyCommand=touch /tmp/x\n", "uptime"]
        let refused = try #require(OptionInjection.violation(argv: argv, rendered: rendered, stepID: "probe"))
        #expect(refused.index == 3)
        #expect(refused.location.description == "r.yaml:3:31")
        #expect(refused.description.hasPrefix("r.yaml:3:31: argv-option: step \"probe\" argv[3] "))
        #expect(refused.description.contains(#"became "-oProxyCommand=touch /tmp/x\n""#))
        var benign = rendered
        benign[3] = "web-1"
        #expect(OptionInjection.violation(argv: argv, rendered: benign, stepID: "probe") == nil)
    }

    @Test func playbookInputsAndArgvShareTheRule() {
        let input = PlaybookInput(name: Located("host", at: SourceLocation(file: "p.yaml", line: 1, column: 1)))
        #expect(input.violation(for: "-oProxyCommand=x")?.contains("must not start with \"-\"") == true)
        #expect(OptionInjection.couldBeOption("-oProxyCommand=x"))
        #expect(!OptionInjection.couldBeOption("web-1"))
        #expect(!OptionInjection.couldBeOption(""))
    }
}
