import RunbookCore
import Testing

@Suite("Expression evaluation semantics")
struct ExpressionEvaluationTests {
    static let context = ExpressionTestContext(
        [
            "steps.disk.outputs.used_percent": .string("93"),
            "steps.disk.outputs.padded": .string(" 42\n"),
            "steps.disk.outputs.version": .string("1.10"),
            "steps.disk.outputs.empty": .string(""),
            "steps.disk.outputs.flag": .string("true"),
            "steps.disk.outputs.zero": .string("0"),
            "steps.verify.ok": .bool(true),
            "steps.verify.exit_code": .number(0),
            "steps.check.ok": .bool(false),
            "steps.check.stderr": .string("connection timeout after 5s"),
            "steps.check.attempts": .number(3),
            "steps.list.outputs.names": .list([.string("a"), .string("b")]),
            "steps.list.outputs.none": .list([]),
            "alert.labels.env": .string("prod"),
            "alert.labels.instance": .string("web-1"),
            "alert.labels.pattern": .string("pr.*"),
            "alert.labels.bad_pattern": .string("("),
            "alert.resolved": .bool(false),
            "alert.firing": .bool(true),
            "run.pi": .number(3.5),
        ],
        components: [["alert", "labels", "app.kubernetes.io/name"]: .string("api")])

    @Test(arguments: [
        // Truthiness of bare values
        ("steps.verify.ok", true),
        ("steps.check.ok", false),
        ("steps.verify.exit_code", false),
        ("steps.check.attempts", true),
        ("alert.labels.env", true),
        ("steps.disk.outputs.empty", false),
        ("steps.disk.outputs.zero", true),
        ("alert.labels.missing", false),
        ("steps.list.outputs.names", true),
        ("steps.list.outputs.none", false),
        ("[]", false), ("[0]", true), ("0", false), ("-1", true), ("0.0", false), ("0.5", true),
        (#""""#, false), (#""0""#, true), (#""false""#, true),
        ("true", true), ("false", false), ("null", false),
        // not, and, or
        ("not steps.disk.ok", true),
        ("not steps.verify.ok", false),
        ("not not steps.verify.ok", true),
        ("steps.verify.ok and alert.labels.env == \"prod\"", true),
        ("steps.verify.ok and steps.check.ok", false),
        ("steps.check.ok or steps.verify.ok", true),
        ("steps.check.ok or alert.labels.missing", false),
        ("alert.resolved or steps.verify.ok", true),
        ("not (steps.check.ok or alert.resolved)", true),
        ("true or false and false", true),
        ("(true or false) and false", false),
        // Numeric comparison of numeric strings
        ("steps.disk.outputs.used_percent > 90", true),
        ("steps.disk.outputs.used_percent > 93", false),
        ("steps.disk.outputs.used_percent >= 93", true),
        ("steps.disk.outputs.used_percent < 100", true),
        ("steps.disk.outputs.used_percent <= 92.5", false),
        ("steps.disk.outputs.used_percent == 93", true),
        ("steps.disk.outputs.used_percent == 93.0", true),
        (#"steps.disk.outputs.used_percent == "093.00""#, true),
        ("steps.disk.outputs.used_percent != 93", false),
        (#""93" < "100""#, true),
        (#""10" < "9""#, false),
        ("steps.disk.outputs.padded == 42", true),
        ("steps.disk.outputs.version == 1.1", true),
        ("-1 < 0", true),
        ("run.pi > 3", true),
        ("run.pi < 3.5", false),
        // Lexicographic when not both numeric
        (#""abc" < "abd""#, true),
        (#""b" > "abc""#, true),
        (#""10a" < "9""#, true),
        (#""B" < "a""#, true),
        (#""x" <= "x""#, true),
        (#""x" >= "y""#, false),
        (#"alert.labels.env > 5"#, true),
        ("false < true", true),
        ("[1] < [2]", false),
        ("[1] >= [1]", false),
        // Equality across types
        (#"alert.labels.env == "prod""#, true),
        ("alert.labels.env == 'prod'", true),
        (#"alert.labels.env != "prod""#, false),
        (#"alert.labels.env != "staging""#, true),
        (#"alert.labels.env == "Prod""#, false),
        ("steps.disk.outputs.flag == true", true),
        ("steps.verify.ok == true", true),
        (#"steps.verify.ok == "true""#, true),
        ("steps.verify.ok == 1", false),
        ("steps.verify.exit_code == 0", true),
        (#"steps.verify.exit_code == "0""#, true),
        (#"steps.verify.exit_code == "zero""#, false),
        (#"[1, "a"] == [1, "a"]"#, true),
        (#"["1"] == [1]"#, true),
        ("[1] == [1, 2]", false),
        ("[1] == 1", false),
        ("[null] == [null]", true),
        ("[null] == [1]", false),
        ("steps.list.outputs.names == ['a', 'b']", true),
        ("\"e\u{301}\" == \"é\"", true),
        // null: every comparison is false, except testing against the null literal
        ("alert.labels.missing == null", true),
        ("alert.labels.missing != null", false),
        ("null == alert.labels.missing", true),
        ("alert.labels.env == null", false),
        ("alert.labels.env != null", true),
        ("null == null", true),
        ("null != null", false),
        (#"alert.labels.missing == "x""#, false),
        (#"alert.labels.missing != "x""#, false),
        (#"alert.labels.missing == """#, false),
        ("alert.labels.missing == alert.labels.other", false),
        ("alert.labels.missing != alert.labels.env", false),
        ("alert.labels.missing < 5", false),
        ("alert.labels.missing >= 5", false),
        ("5 > alert.labels.missing", false),
        (#"alert.labels.missing =~ ".*""#, false),
        (#"alert.labels.missing !~ "x""#, false),
        (#"alert.labels.missing in ["a"]"#, false),
        (#"alert.labels.missing not in ["a"]"#, false),
        (#""a" in alert.labels.missing"#, false),
        (#""a" not in alert.labels.missing"#, false),
        ("null in [null]", false),
        ("not alert.labels.missing == 1", true),
        // Regex, anchored at both ends
        (#"alert.labels.env =~ "prod|staging""#, true),
        (#"alert.labels.env =~ "prod|staging" and steps.verify.exit_code == 0"#, true),
        (#"alert.labels.instance =~ "web-.*""#, true),
        (#"alert.labels.instance =~ "eb-.*""#, false),
        (#"alert.labels.instance =~ "web""#, false),
        (#""my-web-1" =~ "web-.*""#, false),
        (#""web-1x" =~ "web-[0-9]""#, false),
        (#"alert.labels.instance !~ "db-.*""#, true),
        (#"alert.labels.instance !~ "web-.*""#, false),
        (#"alert.labels.env =~ alert.labels.pattern"#, true),
        (#"steps.verify.exit_code =~ "0""#, true),
        (#"steps.verify.ok =~ "t.*""#, true),
        (#""web-1\nx" =~ "web-.*""#, false),
        (#""" =~ """#, true),
        (#""" =~ "a*""#, true),
        (#""é" =~ ".""#, true),
        // An invalid regex never matches, and never "does not match"
        (#"alert.labels.env =~ "(""#, false),
        (#"alert.labels.env !~ "(""#, false),
        (#"alert.labels.env =~ alert.labels.bad_pattern"#, false),
        (#"alert.labels.env !~ alert.labels.bad_pattern"#, false),
        (#""a" =~ "a)|(b""#, false),
        (#""b" =~ "a)|(?:b""#, false),
        (#""xb" !~ "a)|(?:b""#, false),
        (#"alert.labels.env =~ [".*"]"#, false),
        (#"steps.list.outputs.names =~ ".*""#, false),
        // in / not in: list membership and substring
        (#"alert.labels.env in ["prod", "staging"]"#, true),
        (#"alert.labels.env in ["dev"]"#, false),
        (#"alert.labels.env not in ["dev"]"#, true),
        (#"alert.labels.env not in ["prod"]"#, false),
        (#""timeout" in steps.check.stderr"#, true),
        (#""refused" in steps.check.stderr"#, false),
        (#""refused" not in steps.check.stderr"#, true),
        (#""" in "abc""#, true),
        (#""x" in """#, false),
        (#"93 in ["93"]"#, true),
        ("steps.disk.outputs.used_percent in [93, 94]", true),
        ("5 in steps.check.stderr", true),
        (#""a" in steps.list.outputs.names"#, true),
        (#""c" not in steps.list.outputs.names"#, true),
        (#""a" in []"#, false),
        (#""a" not in []"#, true),
        ("[1] in [[1], 2]", true),
        ("[1] in [[2], 1]", false),
        (#"["a"] in "abc""#, false),
        (#"["a"] not in "abc""#, false),
        (#""x" in 5"#, false),
        (#""x" not in 5"#, false),
        (#""x" not in true"#, false),
        ("1 in [null, 1]", true),
        // Bracket paths
        (#"alert.labels["app.kubernetes.io/name"] == "api""#, true),
        (#"alert.labels["env"] == alert.labels.env"#, true),
    ])
    func truth(source: String, expected: Bool) throws {
        let expression = try ExpressionParser.parse(source)
        #expect(expression.isTrue(in: Self.context) == expected)
    }

    @Test(arguments: [
        ("steps.disk.outputs.used_percent", ExpressionValue.string("93")),
        ("alert.labels.missing", .null),
        ("42", .number(42)),
        (
            #"[1, "a", alert.labels.env, alert.labels.missing]"#,
            .list([.number(1), .string("a"), .string("prod"), .null])
        ),
        ("steps.verify.ok and 5", .bool(true)),
        ("steps.check.ok or 0", .bool(false)),
        ("not 0", .bool(true)),
        ("1 == 1", .bool(true)),
    ])
    func values(source: String, expected: ExpressionValue) throws {
        #expect(try ExpressionParser.parse(source).evaluate(in: Self.context) == expected)
    }

    @Test(arguments: [
        ("steps.check.ok and steps.a.b", ["steps.check.ok"]),
        ("steps.verify.ok or steps.a.b", ["steps.verify.ok"]),
        ("steps.verify.ok and steps.a.b and steps.c.d", ["steps.verify.ok", "steps.a.b"]),
        (
            "steps.check.ok or steps.a.b or steps.verify.ok or steps.c.d",
            ["steps.check.ok", "steps.a.b", "steps.verify.ok"]
        ),
        ("x == null", ["x"]),
        ("alert.labels.missing == alert.labels.env", ["alert.labels.missing"]),
    ])
    func shortCircuit(source: String, read: [String]) throws {
        let recording = ExpressionRecordingContext(Self.context)
        _ = try ExpressionParser.parse(source).evaluate(in: recording)
        #expect(recording.read == read)
    }

    @Test(arguments: [
        (ExpressionValue.null, false), (.bool(true), true), (.bool(false), false),
        (.number(0), false), (.number(-0.0), false), (.number(.nan), false), (.number(2), true),
        (.string(""), false), (.string(" "), true), (.list([]), false), (.list([.null]), true),
    ])
    func truthiness(value: ExpressionValue, truthy: Bool) {
        #expect(value.isTruthy == truthy)
    }

    @Test(arguments: [
        ("93", 93.0), (" 93\n", 93), ("-1.5", -1.5), ("007", 7), ("0.0", 0),
    ])
    func numericStrings(text: String, number: Double) {
        #expect(ExpressionValue.string(text).numericValue == number)
    }

    @Test(arguments: ["", " ", "1e3", "inf", "nan", "NaN", "0x10", "+1", "1.", ".5", "1 2", "--1", "1,5", "٣", "1_000"])
    func nonNumericStrings(text: String) {
        #expect(ExpressionValue.string(text).numericValue == nil)
    }

    @Test(arguments: [
        (ExpressionValue.null, ""), (.bool(true), "true"), (.number(93), "93"), (.number(-0.25), "-0.25"),
        (.number(1e16), "10000000000000000"), (.number(1.5e-7), "0.00000015"), (.string("a\"b"), "a\"b"),
        (.list([.string("a"), .number(1)]), #"["a", 1]"#),
    ])
    func text(value: ExpressionValue, text: String) {
        #expect(value.text == text)
    }

    @Test func nonFiniteNumbersFromAContextDoNotCrash() throws {
        let context = ExpressionTestContext(["n": .number(.nan), "i": .number(.infinity)])
        for source in ["n", "n == n", "n < 1", "n >= 1", "i > 1", "i == i", #"n =~ ".*""#, "n in [n]", #""a" in n"#] {
            _ = try ExpressionParser.parse(source).isTrue(in: context)
        }
        #expect(try ExpressionParser.parse("i > 1").isTrue(in: context))
        #expect(try !ExpressionParser.parse("n < 1").isTrue(in: context))
        #expect(try !ExpressionParser.parse("n >= 1").isTrue(in: context))
    }
}
