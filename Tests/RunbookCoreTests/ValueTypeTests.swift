import RunbookCore
import Testing

/// The typed values of the format: durations, sizes, severities, matchers, globs.
struct ValueTypeTests {
    @Test(
        "durations parse in runbook syntax and print canonically",
        arguments: [
            ("30s", 30_000, "30s"), ("5m", 300_000, "5m"), ("1h30m", 5_400_000, "1h30m"), ("250ms", 250, "250ms"),
            ("2d", 172_800_000, "2d"), ("90m", 5_400_000, "1h30m"), ("0s", 0, "0s"), ("1h0m5s", 3_605_000, "1h5s"),
        ])
    func durations(_ text: String, _ milliseconds: Int64, _ canonical: String) throws {
        let duration = try #require(Duration(runbook: text))
        #expect(duration.totalMilliseconds == milliseconds)
        #expect(duration.runbookDescription == canonical)
    }

    @Test(
        "malformed durations are refused",
        arguments: ["", "5", "m", "5 m", "5min", "1m1h", "1.5h", "-5s", "5s5s", "99999999999999999999d"])
    func badDurations(_ text: String) {
        #expect(Duration(runbook: text) == nil)
    }

    @Test(
        "sizes",
        arguments: [
            ("1MiB", 1_048_576), ("512KiB", 524_288), ("1048576", 1_048_576), ("10MB", 10_000_000),
            ("2 GiB", 2_147_483_648),
        ])
    func sizes(_ text: String, _ bytes: Int) {
        #expect(ByteSize(text)?.bytes == bytes)
    }

    @Test(
        "thresholds select levels on the ladder, aliases included",
        arguments: [
            (">= P2", ["P1", "P2"]), ("> P3", ["P1", "P2"]), ("<= P3", ["P3", "P4"]), ("< P2", ["P3", "P4"]),
            ("== P1", ["P1"]), ("P4", ["P4"]), (">= critical", ["P1"]), (">=warning", ["P1", "P2", "P3"]),
        ])
    func thresholds(_ text: String, _ levels: [String]) throws {
        let ladder = SeverityLadder.standard
        let matcher = try SeverityMatcher.parseThreshold(text, ladder: ladder).get()
        #expect(matcher.ranks == Set(levels.compactMap { ladder.rank(of: $0) }))
    }

    @Test("a level outside the ladder is reported with a suggestion")
    func unknownLevel() {
        let result = SeverityMatcher.parseThreshold(">= P22", ladder: .standard)
        #expect(
            throws: SeverityMatcherError(
                message:
                    "severity \"P22\" is not on the ladder (P1, P2, P3, P4); did you mean \"P2\"?; this runbook could never match"
            )
        ) {
            try result.get()
        }
    }

    @Test("aliases map case-insensitively")
    func aliases() {
        let ladder = SeverityLadder.standard
        #expect(ladder.level(of: "CRITICAL") == "P1")
        #expect(ladder.level(of: "sev2") == "P3")
        #expect(ladder.level(of: "p4") == "P4")
        #expect(ladder.level(of: "page") == nil)
    }

    @Test(
        "label matchers are anchored like Alertmanager's and treat missing labels as empty",
        arguments: [
            ("web-.*", "=~", ["job": "web-1"], true),
            ("web-.*", "=~", ["job": "my-web-1"], false),
            ("prod|staging", "=~", ["job": "staging"], true),
            ("prod", "!=", [:], true),
            (".*", "=~", [:], true),
            ("", "=", [:], true),
            ("db.*", "!~", ["job": "db-1"], false),
            ("db.*", "!~", ["job": "api"], true),
        ] as [(String, String, [String: String], Bool)])
    func labelMatchers(_ value: String, _ op: String, _ labels: [String: String], _ expected: Bool) throws {
        let matcher = try LabelMatcher(name: "job", op: try #require(LabelMatcher.Operator(rawValue: op)), value: value)
        #expect(matcher.matches(labels) == expected)
    }

    @Test(
        "a matcher's operator is the prefix of its value",
        arguments: [
            ("=~prod|staging", LabelMatcher.Operator.matchesRegex, "prod|staging"), ("!~x", .doesNotMatchRegex, "x"),
            ("!=x", .notEqual, "x"), ("=x", .equal, "x"), ("x", .equal, "x"), ("==x", .equal, "=x"),
        ])
    func matcherPrefix(_ text: String, _ op: LabelMatcher.Operator, _ value: String) {
        let (parsedOp, parsedValue) = LabelMatcher.split(text)
        #expect(parsedOp == op)
        #expect(parsedValue == value)
    }

    @Test(
        "source globs",
        arguments: [
            ("prometheus", "prometheus", true), ("prom*", "prometheus", true), ("monitor@*", "monitor@eu-1", true),
            ("monitor@*", "monitor", false), ("?rom", "prom", true), ("*", "", true), ("a*b*c", "aXXbYYc", true),
            ("a*b*c", "aXXbYY", false),
        ])
    func globs(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(SourceGlob(pattern).matches(text) == expected)
    }

    @Test("did-you-mean suggests close names only")
    func suggestions() {
        #expect(Suggestion.closest(to: "timout", in: ["timeout", "retries"]) == "timeout")
        #expect(Suggestion.closest(to: "tiemout", in: ["timeout", "retries"]) == "timeout")
        #expect(Suggestion.closest(to: "banana", in: ["timeout", "retries"]) == nil)
    }
}
