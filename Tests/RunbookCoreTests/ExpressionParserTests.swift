import RunbookCore
import Testing

@Suite("Expression parser: structure and offsets")
struct ExpressionParserTests {
    private func path(_ dotted: String, _ offset: Int) -> Expression {
        .path(ExpressionPath(components: dotted.split(separator: ".").map(String.init), offset: offset))
    }

    @Test func bareStepPath() throws {
        #expect(try ExpressionParser.parse("steps.containers.ok") == path("steps.containers.ok", 0))
    }

    @Test func specExampleWithOffsets() throws {
        let parsed = try ExpressionParser.parse(#"steps.verify.ok and alert.labels.env == "prod""#)
        #expect(
            parsed
                == .and(
                    [
                        path("steps.verify.ok", 0),
                        .compare(
                            .equal, path("alert.labels.env", 20), .literal(.string("prod"), offset: 40), offset: 37),
                    ], offset: 0))
    }

    @Test func notBindsLooserThanComparison() throws {
        let parsed = try ExpressionParser.parse("not a == 1")
        #expect(parsed == .not(.compare(.equal, path("a", 4), .literal(.number(1), offset: 9), offset: 6), offset: 0))
    }

    @Test func andBindsTighterThanOr() throws {
        let parsed = try ExpressionParser.parse("a or b and c")
        #expect(parsed == .or([path("a", 0), .and([path("b", 5), path("c", 11)], offset: 5)], offset: 0))
    }

    @Test func parenthesesOverridePrecedence() throws {
        let parsed = try ExpressionParser.parse("(a or b) and c")
        #expect(parsed == .and([.or([path("a", 1), path("b", 6)], offset: 1), path("c", 13)], offset: 1))
        #expect(parsed.startOffset == 1)
    }

    @Test(arguments: [
        ("(a and b) and c", "a and b and c"),
        ("a and (b and c)", "a and b and c"),
        ("((a or b) or c) or d", "a or b or c or d"),
        ("(((a)))", "a"),
    ])
    func sameChainsAreFlattened(source: String, flat: String) throws {
        #expect(try ExpressionParser.parse(source).withoutOffsets == ExpressionParser.parse(flat).withoutOffsets)
    }

    @Test func notInIsOneOperator() throws {
        let parsed = try ExpressionParser.parse(#"alert.labels.env not in ["prod", 'staging']"#)
        #expect(
            parsed
                == .compare(
                    .notIn, path("alert.labels.env", 0),
                    .list(
                        [.literal(.string("prod"), offset: 25), .literal(.string("staging"), offset: 33)], offset: 24),
                    offset: 17))
    }

    @Test(arguments: [
        ("true", ExpressionValue.bool(true)),
        ("false", .bool(false)),
        ("null", .null),
        ("0", .number(0)),
        ("-17", .number(-17)),
        ("3.25", .number(3.25)),
        ("-0.5", .number(-0.5)),
        ("007", .number(7)),
        (#""double""#, .string("double")),
        ("'single'", .string("single")),
        (#""""#, .string("")),
        (#""it's \"x\" \\ \n\t""#, .string("it's \"x\" \\ \n\t")),
        (#"'it\'s'"#, .string("it's")),
        ("\"raw\nnewline\"", .string("raw\nnewline")),
        (#""é 🇫🇷""#, .string("é 🇫🇷")),
    ])
    func literals(source: String, value: ExpressionValue) throws {
        #expect(try ExpressionParser.parse(source) == .literal(value, offset: 0))
    }

    @Test(arguments: [
        ("steps.check-disk.ok", ["steps", "check-disk", "ok"]),
        ("_x.y_1", ["_x", "y_1"]),
        (#"alert.labels["app.kubernetes.io/name"]"#, ["alert", "labels", "app.kubernetes.io/name"]),
        (#"alert.labels['a b'].x"#, ["alert", "labels", "a b", "x"]),
        (#"a[ "x" ]"#, ["a", "x"]),
        ("alert.labels.in", ["alert", "labels", "in"]),
        ("steps.not.and.or.true.null", ["steps", "not", "and", "or", "true", "null"]),
    ])
    func paths(source: String, components: [String]) throws {
        #expect(try ExpressionParser.parse(source) == .path(ExpressionPath(components: components, offset: 0)))
    }

    @Test(arguments: ExpressionOperator.allCases)
    func everyOperator(op: ExpressionOperator) throws {
        let parsed = try ExpressionParser.parse("a \(op.rawValue) 1")
        #expect(parsed == .compare(op, path("a", 0), .literal(.number(1), offset: 3 + op.rawValue.count), offset: 2))
    }

    @Test(arguments: ["a==1", "a == 1", "  a\n==\t1  ", "\ta ==\r\n1"])
    func whitespaceIsFree(source: String) throws {
        #expect(try ExpressionParser.parse(source).withoutOffsets == ExpressionParser.parse("a == 1").withoutOffsets)
    }

    @Test func negativeNumberAfterOperator() throws {
        #expect(
            try ExpressionParser.parse("a>-1")
                == .compare(.greater, path("a", 0), .literal(.number(-1), offset: 2), offset: 1))
    }

    @Test func offsetsCountUnicodeScalars() throws {
        // "🇫🇷" is two scalars, "e\u{301}" two, "é" one.
        let parsed = try ExpressionParser.parse("\"🇫🇷e\u{301}é\" == x")
        #expect(parsed == .compare(.equal, .literal(.string("🇫🇷e\u{301}é"), offset: 0), path("x", 11), offset: 8))
    }

    @Test func emptyList() throws {
        #expect(try ExpressionParser.parse("x in []") == .compare(.in, path("x", 0), .list([], offset: 5), offset: 2))
    }

    @Test func nestingAtTheLimitParses() throws {
        let depth = ExpressionParser.maximumDepth
        let parens = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(try ExpressionParser.parse(parens) == path("a", depth))
        let nots = String(repeating: "not ", count: depth) + "a"
        #expect(try ExpressionParser.parse(nots).description == nots)
        let lists = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(try ExpressionParser.parse(lists).description == lists)
    }

    @Test func longChainsStayFlat() throws {
        let count = 20_000
        let source = Array(repeating: "steps.a.ok", count: count).joined(separator: " and ")
        guard case .and(let items, _) = try ExpressionParser.parse(source) else {
            Issue.record("expected an and-chain")
            return
        }
        #expect(items.count == count)
        #expect(try ExpressionParser.parse(source).description == source)
    }

    @Test func pathsInSourceOrder() throws {
        let parsed = try ExpressionParser.parse(#"a.b == c and not (d in [e, "x", f["g.h"]]) or a.b"#)
        #expect(parsed.paths.map(\.description) == ["a.b", "c", "d", "e", #"f["g.h"]"#, "a.b"])
        #expect(parsed.paths.map(\.offset) == [0, 7, 18, 24, 32, 46])
    }

    @Test func regexLiteralsOnTheRightOfMatchOperators() throws {
        let parsed = try ExpressionParser.parse(
            #"a =~ "web-.*" and b !~ 'db(' and c == "x" and "y" =~ d and e in ["z"]"#)
        let found = parsed.regexLiterals
        #expect(found.map(\.pattern) == ["web-.*", "db("])
        #expect(found.map(\.offset) == [5, 23])
    }
}
