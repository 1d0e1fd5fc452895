import RunbookCore
import Testing

/// Regexes are RE2 (linear time, Alertmanager's syntax): the payloads of issue 13 that made
/// Swift's backtracking `Regex` run for minutes end at once, and syntax Alertmanager refuses is
/// refused here with RE2's reason.
@Suite(.timeLimit(.minutes(1))) struct LinearRegexTests {
    /// `(a+)+$` against a 41-character label stalled rbx serve; 100,000 characters now end at once.
    static let hostile = String(repeating: "a", count: 41) + "!"

    @Test(arguments: ["(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}"])
    func catastrophicPatternsMatchInLinearTime(_ pattern: String) throws {
        let regex = try LinearRegex(pattern)
        #expect(regex.wholeMatch(Self.hostile) == false)
        #expect(regex.wholeMatch(String(repeating: "a", count: 100_000) + "!") == false)
        #expect(try AnchoredRegex(pattern).matches(Self.hostile) == false)
        let context = ExpressionTestContext(["alert.labels.instance": .string(Self.hostile)])
        let condition = try ExpressionParser.parse(#"alert.labels.instance =~ "\#(pattern)""#)
        #expect(condition.evaluate(in: context) == .bool(false))
    }

    @Test(arguments: [
        ("(a)\\1", "invalid escape sequence: \\1"),
        ("(?=x)", "invalid perl operator: (?="),
        ("(?<=x)y", "invalid perl operator: (?<"),
        ("(unclosed", "missing ): (unclosed"),
        ("[z-a]", "invalid character class range: z-a"),
        ("a)|(b", "unexpected ): a)|(b"),
    ])
    func syntaxAlertmanagerRefusesIsRefusedWithTheReason(_ pattern: String, reason: String) {
        let error = #expect(throws: RegexSyntaxError.self) { try LinearRegex(pattern) }
        #expect(error?.reason == reason)
        #expect(error?.description == "invalid regular expression \"\(pattern)\": \(reason)")
    }

    @Test func matchersAreAnchoredAtBothEnds() throws {
        let regex = try AnchoredRegex("web-.*")
        #expect(regex.matches("web-1"))
        #expect(!regex.matches("my-web-1"))
        #expect(try AnchoredRegex("prod|staging").matches("staging"))
        #expect(try !AnchoredRegex("prod|staging").matches("preprod"))
    }

    @Test func namedGroupsInBothSpellingsAsGoAcceptsThem() throws {
        #expect(try LinearRegex("(?<host>[a-z]+)-(?P<n>\\d+)").firstMatch(in: "web-12", group: 2) == "12")
        #expect(try LinearRegex("[(?<]x").wholeMatch("<x"), "a class is left alone")
        #expect(try LinearRegex("\\(?<x").wholeMatch("(<x"), "an escaped parenthesis is left alone")
    }

    @Test func firstMatchGivesTheGroupByCharactersNotBytes() throws {
        let regex = try LinearRegex(#"(\d+)%"#)
        #expect(regex.firstMatch(in: "Ünïcödé used 95% of /var", group: 1) == "95")
        #expect(regex.firstMatch(in: "no number", group: 1) == nil)
        #expect(try LinearRegex("a(b)?c").firstMatch(in: "ac", group: 1) == nil, "a group that took no part")
        #expect(try LinearRegex("é+").firstMatch(in: "caféé!") == "éé")
    }

    @Test func replacementIsLiteral() throws {
        let regex = try LinearRegex("token=[^ ]+")
        #expect(
            regex.replacingMatches(in: "a token=x1 b token=y2", with: #"<\1 secret>"#)
                == #"a <\1 secret> b <\1 secret>"#)
        var redactor = Redactor(patterns: ["password=[^ ]+", "(a+)+$"])
        redactor.add(secret: "hunter22")
        #expect(redactor.redact("password=hunter22 ok") == "<secret> ok")
        #expect(redactor.redact(Self.hostile) == Self.hostile)
    }
}
