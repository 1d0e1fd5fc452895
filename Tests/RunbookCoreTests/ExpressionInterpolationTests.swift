import RunbookCore
import Testing

@Suite("Interpolation parser")
struct InterpolationTests {
    private static func path(_ components: [String], _ offset: Int) -> Interpolation.Segment {
        .expression(.path(ExpressionPath(components: components, offset: offset)))
    }

    @Test(arguments: [
        ("", [Interpolation.Segment]()),
        ("plain text", [.text("plain text")]),
        ("lone }} closer", [.text("lone }} closer")]),
        ("{ {x} }", [.text("{ {x} }")]),
        ("{x}}", [.text("{x}}")]),
        ("{{a}}", [path(["a"], 2)]),
        ("{{ a }}", [path(["a"], 3)]),
        ("{{\n\tsteps.x.stdout\n}}", [path(["steps", "x", "stdout"], 4)]),
        (
            "Disk {{alert.labels.mountpoint}} on {{ alert.labels.instance }}",
            [
                .text("Disk "), path(["alert", "labels", "mountpoint"], 7), .text(" on "),
                path(["alert", "labels", "instance"], 39),
            ]
        ),
        (#"{{alert.labels["app.kubernetes.io/name"]}}"#, [path(["alert", "labels", "app.kubernetes.io/name"], 2)]),
        ("{{a}}{{b}}", [path(["a"], 2), path(["b"], 7)]),
        ("{{a}}}", [path(["a"], 2), .text("}")]),
        ("x}}{{a}}", [.text("x}}"), path(["a"], 5)]),
        ("é{{a}}", [.text("é"), path(["a"], 3)]),
        ("🇫🇷 {{ a.b }} e\u{301}", [.text("🇫🇷 "), path(["a", "b"], 6), .text(" e\u{301}")]),
        ("{{a}}\u{301}", [path(["a"], 2), .text("\u{301}")]),
        ("{{inputs.in}}", [path(["inputs", "in"], 2)]),
        // A quoted string inside the braces is literal text: the escape for Go templates.
        ("{{ '{{' }}.Names{{ '}}' }}", [.text("{{.Names}}")]),
        (#"--format={{"{{"}}json .{{"}}"}} {{a}}"#, [.text("--format={{json .}} "), path(["a"], 34)]),
        ("{{ alert.labels['a}}b'] }}", [path(["alert", "labels", "a}}b"], 3)]),
    ])
    func segments(source: String, segments: [Interpolation.Segment]) throws {
        #expect(try Interpolation.parse(source).segments == segments)
    }

    @Test(arguments: [
        ("{{", #"unterminated "{{"; close it with "}}""#, 0),
        ("x {{ a", #"unterminated "{{"; close it with "}}""#, 2),
        ("x {{ a }", #"unterminated "{{"; close it with "}}""#, 2),
        ("{{ a {{ b }}", #"unterminated "{{"; close it with "}}""#, 0),
        ("ok {{a}} then {{ b.c", #"unterminated "{{"; close it with "}}""#, 14),
        ("é {{", #"unterminated "{{"; close it with "}}""#, 2),
        ("{{}}", #"empty "{{ }}"; put a value inside, such as {{ alert.name }}"#, 0),
        ("a {{   }}", #"empty "{{ }}"; put a value inside, such as {{ alert.name }}"#, 2),
        ("{{ a + }}", #"expected an operand after "+""#, 7),
        ("{{ a b }}", #"expected an operator or "}}" before "b""#, 5),
        ("{{ a | upper }}", #""|" is not an operator; use "or""#, 5),
        ("{{ 'x' 'y' }}", #"expected an operator or "}}" before 'y'"#, 7),
        ("{{ .a }}", #"unexpected ".""#, 3),
        ("{{{a}}}", #"unexpected character "{""#, 2),
        ("{{ é }}", #"unexpected character "é""#, 3),
        ("{{ a .b }}", #"unexpected ".""#, 5),
        ("🇫🇷{{ a b }}", #"expected an operator or "}}" before "b""#, 7),
        ("{{ a. }}", #"expected a name after ".""#, 5),
        (#"{{ a["x }}"#, "unterminated string", 5),
        ("{{ 'a }}", "unterminated string", 3),
        (#"{{ a["x" }}"#, #"expected "]" to close "[""#, 4),
        (#"{{ a["\d"] }}"#, #"unknown escape "\d"; write "\\d" for a literal backslash"#, 6),
    ])
    func errors(source: String, message: String, offset: Int) {
        #expect(throws: ExpressionSyntaxError(message, at: offset)) {
            try Interpolation.parse(source)
        }
    }

    @Test func literalAndPaths() throws {
        let literal = try Interpolation.parse("docker ps")
        #expect(literal.isLiteral)
        #expect(literal.paths.isEmpty)
        let templated = try Interpolation.parse("{{ inputs.container }} and {{run.id}}")
        #expect(!templated.isLiteral)
        #expect(
            templated.paths == [
                ExpressionPath(components: ["inputs", "container"], offset: 3),
                ExpressionPath(components: ["run", "id"], offset: 29),
            ])
        #expect(try Interpolation.parse("").isLiteral)
    }

    @Test func valuesAreInsertedOnceAndStayLiteral() throws {
        let interpolation = try Interpolation.parse("Disk {{alert.labels.mountpoint}} on {{ alert.labels.instance }}!")
        var calls: [String] = []
        let rendered = interpolation.render { (expression: Expression) in
            calls.append(expression.description)
            return expression.paths.first?.components.last == "mountpoint" ? "/var" : "{{ alert.labels.secret }}"
        }
        #expect(rendered == "Disk /var on {{ alert.labels.secret }}!")
        #expect(calls == ["alert.labels.mountpoint", "alert.labels.instance"])
    }

    @Test func literalRendersAsItself() throws {
        let text = "no braces here, just } and { and }}"
        #expect(try Interpolation.parse(text).render { _ in "X" } == text)
        #expect(try Interpolation.parse("").render { _ in "X" } == "")
    }

    @Test func bigLiteralTakesTheFastPath() throws {
        let big = String(repeating: "abcdéf { } }} ", count: 20_000)
        #expect(try Interpolation.parse(big).segments == [.text(big)])
        let bridged = "x" + big.dropFirst()  // a non-trivially-built string
        #expect(try Interpolation.parse(String(bridged)).isLiteral)
    }

    @Test func manyInterpolations() throws {
        let source = String(repeating: "{{ a.b }}-", count: 5_000)
        let parsed = try Interpolation.parse(source)
        #expect(parsed.paths.count == 5_000)
        #expect(parsed.paths.last?.offset == 4_999 * 10 + 3)
        #expect(parsed.render { _ in "v" } == String(repeating: "v-", count: 5_000))
    }
}
