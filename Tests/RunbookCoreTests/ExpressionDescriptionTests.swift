import RunbookCore
import Testing

@Suite("Expression canonical description")
struct ExpressionDescriptionTests {
    static let canonical: [(String, String)] = [
        ("steps.verify.ok", "steps.verify.ok"),
        ("a==b", "a == b"),
        ("  a   and\n\tb ", "a and b"),
        ("(a and b) and c", "a and b and c"),
        ("a and (b and c)", "a and b and c"),
        ("(a or b) and c", "(a or b) and c"),
        ("a and (b or c)", "a and (b or c)"),
        ("a or b and c", "a or b and c"),
        ("a or (b and c)", "a or b and c"),
        ("(a or b) or (c and d)", "a or b or c and d"),
        ("not (a == b)", "not a == b"),
        ("(not a) == b", "(not a) == b"),
        ("a == (not b)", "a == (not b)"),
        ("not (a and b)", "not (a and b)"),
        ("not (not a)", "not not a"),
        ("(a == b) == (c != d)", "(a == b) == (c != d)"),
        ("(a and b) in [1]", "(a and b) in [1]"),
        ("((((a))))", "a"),
        ("[(a == b), (not c), (d or e), [f]]", "[a == b, not c, d or e, [f]]"),
        ("a+b*c", "a + b * c"),
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("a / (b * c)", "a / (b * c)"),
        ("-a * -5", "-a * -5"),
        ("- (a + 1)", "-(a + 1)"),
        ("x > 90m", "x > 1h30m"),
        ("x < -5m", "x < -5m"),
        ("len( a )>0", "len(a) > 0"),
        ("any( x>1 for x in xs if x!=3 )", "any(x > 1 for x in xs if x != 3)"),
        ("[x.a for x in xs]", "[x.a for x in xs]"),
        ("trim(x)", "trim(x)"),
        ("xs[0].labels.instance", "xs[0].labels.instance"),
        ("xs[0]['a b']", #"xs[0]["a b"]"#),
        ("xs[(\"a\")]", "xs.a"),
        ("xs[-1][0]", "xs[-1][0]"),
        ("weekday(now, 'UTC') in ['sat', 'sun']", #"weekday(now, "UTC") in ["sat", "sun"]"#),
        ("'x' == \"y\"", #""x" == "y""#),
        (#"x == 'it\'s'"#, #"x == "it's""#),
        (#"x == "a\"b\\c\nd\te""#, #"x == "a\"b\\c\nd\te""#),
        ("x == 'tab\there'", #"x == "tab\there""#),
        ("x == \"raw\nnewline\"", #"x == "raw\nnewline""#),
        ("x == '\"'", #"x == "\"""#),
        ("x == 1.50", "x == 1.5"),
        ("x == 007", "x == 7"),
        ("x == -0", "x == 0"),
        ("x == -0.0", "x == 0"),
        ("x == 10000000000000000000000", "x == 10000000000000000000000"),
        ("x == 0.0000001", "x == 0.0000001"),
        ("x == 123456789.123", "x == 123456789.123"),
        (#"alert.labels["app.kubernetes.io/name"] == "api""#, #"alert.labels["app.kubernetes.io/name"] == "api""#),
        (#"alert.labels['env']"#, "alert.labels.env"),
        (#"a["with \"quote\""]"#, #"a["with \"quote\""]"#),
        (#"a["1x"]"#, #"a["1x"]"#),
        (#"a[""]"#, #"a[""]"#),
        ("alert.labels.in", "alert.labels.in"),
        (#"a.b["c d"].e"#, #"a.b["c d"].e"#),
        (#"a in [1,2 , "x"]"#, #"a in [1, 2, "x"]"#),
        ("a not in []", "a not in []"),
        ("a   not   in [1]", "a not in [1]"),
        ("not not a", "not not a"),
        ("true and null or false", "true and null or false"),
        (#"a =~ "x.*" and b !~ 'y'"#, #"a =~ "x.*" and b !~ "y""#),
        ("a<=b", "a <= b"),
        ("a>-1", "a > -1"),
        ("\"🇫🇷\" == x", "\"🇫🇷\" == x"),
    ]

    @Test(arguments: canonical)
    func canonicalForm(source: String, printed: String) throws {
        #expect(try ExpressionParser.parse(source).description == printed)
    }

    /// Printing then parsing gives the same expression, and printing is idempotent.
    @Test(arguments: canonical.map(\.0))
    func roundTrip(source: String) throws {
        let parsed = try ExpressionParser.parse(source)
        let reparsed = try ExpressionParser.parse(parsed.description)
        #expect(reparsed.withoutOffsets == parsed.withoutOffsets)
        #expect(reparsed.description == parsed.description)
    }

    @Test(arguments: [
        ("a == b", "a  ==  b", true),
        ("a and (b and c)", "(a and b) and c", true),
        ("a == 1.0", "a == 1", true),
        ("a == 'x'", "a == \"x\"", true),
        ("a == b", "b == a", false),
        ("a and b", "b and a", false),
        ("a or b and c", "(a or b) and c", false),
    ])
    func semanticComparisonByDescription(left: String, right: String, same: Bool) throws {
        let a = try ExpressionParser.parse(left)
        let b = try ExpressionParser.parse(right)
        #expect((a.description == b.description) == same)
        #expect((a.withoutOffsets == b.withoutOffsets) == same)
    }

    /// Trees not produced by the parser (nested chains, one-element chains) still print
    /// canonically, as the parser would have built them.
    @Test func handBuiltTreesPrintCanonically() throws {
        let a = Expression.path(ExpressionPath(components: ["a"]))
        let b = Expression.path(ExpressionPath(components: ["b"]))
        let c = Expression.path(ExpressionPath(components: ["c"]))
        #expect(Expression.and([a, .and([b, c], offset: 0)], offset: 0).description == "a and b and c")
        #expect(Expression.or([.or([a, b], offset: 0), c], offset: 0).description == "a or b or c")
        #expect(Expression.and([.or([a], offset: 0), b], offset: 0).description == "a and b")
        #expect(Expression.and([.or([a, c], offset: 0), b], offset: 0).description == "(a or c) and b")
        #expect(Expression.and([], offset: 0).description == "true")
        #expect(Expression.or([], offset: 0).description == "false")
        #expect(Expression.not(.and([a, b], offset: 0), offset: 0).description == "not (a and b)")
        #expect(
            Expression.compare(.equal, .or([a], offset: 0), .and([b, c], offset: 0), offset: 0).description
                == "a == (b and c)")
        #expect(Expression.literal(.list([.number(1), .string("x")]), offset: 0).description == #"[1, "x"]"#)
    }

    @Test(arguments: [
        (0.1, "0.1"), (-2.5, "-2.5"), (1e21, "1000000000000000000000"), (1.5e-7, "0.00000015"),
        (123456789012345678.0, "123456789012345680"), (9007199254740993.0, "9007199254740992"),
        (-1e-10, "-0.0000000001"),
    ])
    func numbersPrintInPlainDecimal(value: Double, printed: String) throws {
        #expect(Expression.literal(.number(value), offset: 0).description == printed)
        #expect(try ExpressionParser.parse(printed) == .literal(.number(value), offset: 0))
    }

    @Test(arguments: [
        (["steps", "check-disk", "ok"], "steps.check-disk.ok"),
        (["alert", "labels", "app.kubernetes.io/name"], #"alert.labels["app.kubernetes.io/name"]"#),
        (["a", "not"], "a.not"),
        (["a", "-x"], #"a["-x"]"#),
        (["a", "é"], #"a["é"]"#),
        (["a", "x\ny"], #"a["x\ny"]"#),
    ])
    func pathDescription(components: [String], printed: String) {
        #expect(ExpressionPath(components: components).description == printed)
    }
}
