import RunbookCore
import Testing

@Suite("Expressions: arithmetic, durations, functions, lists, objects, time")
struct ExpressionFunctionTests {
    /// 2026-12-07T23:30:00Z, a Monday; in Berlin it is Tuesday 00:30.
    static let monday2330 = 1_796_686_200.0

    static let context = ExpressionTestContext(
        [
            "steps.df.outputs.used": .list([.string("41"), .string("93"), .string("97")]),
            "steps.df.outputs.mounts": .list([.string("/"), .string("/var"), .string("/data")]),
            "steps.ps.outputs.pids": .list([]),
            "steps.lag.value": .number(42.5),
            "steps.lag.samples": .list([
                .object(["value": .number(12), "labels": .object(["instance": .string("db-1:9187")])]),
                .object(["value": .number(45), "labels": .object(["instance": .string("db-2:9187")])]),
            ]),
            "steps.api.outputs.body": .object(["status": .string("degraded"), "count": .number(3)]),
            "steps.verify.duration": .number(95),
            "alert.labels": .object(["team": .string("payments"), "env": .string("prod")]),
            "alert.labels.threshold": .string("80"),
            "alert.labels.hosts": .string("a,b,,c"),
            "alert.labels.instance": .string("web-1.internal:9100"),
            "alert.labels.env": .string("Prod "),
            "alert.startsAt": .string("2026-12-07T23:00:00Z"),
            "inputs.grace": .string("2m30s"),
            "now": .number(monday2330),
        ])

    @Test(arguments: [
        // Arithmetic, precedence, numeric text, and null for what is not a number
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("10 - 4 - 3", "3"),
        ("7 / 2", "3.5"),
        ("7 % 3", "1"),
        ("-7 % 3", "-1"),
        ("1 / 0", ""),
        ("alert.labels.threshold * 1.1", "88"),
        ("alert.labels.instance + 1", ""),
        ("-steps.lag.value", "-42.5"),
        ("steps.lag.value - -0.5", "43"),
        // Durations are seconds
        ("5m", "300"),
        ("1h30m + 30s", "5430"),
        ("250ms", "0.25"),
        ("steps.verify.duration > 1m30s", "true"),
        ("duration(inputs.grace)", "150"),
        ("duration('soon')", ""),
        // Lists
        ("len(steps.df.outputs.used)", "3"),
        ("len(steps.ps.outputs.pids) == 0", "true"),
        ("len(alert.labels)", "2"),
        ("len('héllo')", "5"),
        ("any(x > 90 for x in steps.df.outputs.used)", "true"),
        ("all(x > 90 for x in steps.df.outputs.used)", "false"),
        ("all(x > 1 for x in steps.ps.outputs.pids)", "true"),
        ("len(m for m in steps.df.outputs.mounts if m != '/')", "2"),
        ("[m for m in steps.df.outputs.mounts if startswith(m, '/d')]", #"["/data"]"#),
        ("sum(steps.df.outputs.used)", "231"),
        ("max(steps.df.outputs.used)", "97"),
        ("min(s.value for s in steps.lag.samples)", "12"),
        ("max(steps.ps.outputs.pids)", ""),
        ("first(steps.df.outputs.mounts)", "/"),
        ("last(steps.df.outputs.mounts)", "/data"),
        ("steps.df.outputs.mounts[1]", "/var"),
        ("steps.df.outputs.mounts[-1]", "/data"),
        ("steps.df.outputs.mounts[3]", ""),
        ("steps.df.outputs.mounts[0.5]", ""),
        ("'/var' in steps.df.outputs.mounts", "true"),
        ("join(steps.df.outputs.mounts, ' ')", "/ /var /data"),
        ("split(alert.labels.hosts, ',')", #"["a", "b", "", "c"]"#),
        ("len(h for h in split(alert.labels.hosts, ',') if h)", "3"),
        // Objects and samples
        ("steps.lag.samples[1].labels.instance", "db-2:9187"),
        ("steps.lag.samples[0]['value'] < 20", "true"),
        ("steps.api.outputs.body.status", "degraded"),
        ("steps.api.outputs.body.count + 1", "4"),
        ("steps.api.outputs.body.missing == null", "true"),
        ("'team' in alert.labels", "true"),
        ("keys(alert.labels)", #"["env", "team"]"#),
        ("[s.labels.instance for s in steps.lag.samples if s.value > 30]", #"["db-2:9187"]"#),
        // Text
        ("lower(trim(alert.labels.env))", "prod"),
        ("upper('a-b')", "A-B"),
        ("startswith(alert.labels.instance, 'web-')", "true"),
        ("endswith(alert.labels.instance, ':9100')", "true"),
        ("replace(alert.labels.instance, ':9100', '')", "web-1.internal"),
        ("number('12.50') + 1", "13.5"),
        ("number('twelve')", ""),
        ("string(12) + 1", "13"),
        ("abs(-3)", "3"),
        ("round(2.5)", "3"),
        ("round(-2.5)", "-3"),
        // Time in the run's clock; zones by IANA name
        ("now - time(alert.startsAt)", "1800"),
        ("now - time(alert.startsAt) > 20m", "true"),
        ("time('not a time')", ""),
        ("hour(now)", "23"),
        ("minute(now)", "30"),
        ("weekday(now)", "mon"),
        ("weekday(now, 'Europe/Berlin')", "tue"),
        ("hour(now, 'Europe/Berlin')", "0"),
        ("time_of_day(now)", "23:30"),
        ("time_of_day(now, 'Asia/Kolkata')", "05:00"),
        ("time_of_day(now) >= '22:00' or weekday(now) in ['sat', 'sun']", "true"),
        ("hour(now, 'Mars/Olympus')", ""),
    ])
    func evaluates(source: String, expected: String) throws {
        let expression = try ExpressionParser.parse(source)
        #expect(expression.evaluate(in: Self.context).text == expected, "\(source)")
    }

    @Test("a comprehension's name shadows nothing outside it, and its paths are not references")
    func comprehensionScope() throws {
        let expression = try ExpressionParser.parse("any(x.value > steps.lag.value for x in steps.lag.samples)")
        #expect(expression.paths.map(\.description) == ["steps.lag.value", "steps.lag.samples"])
        #expect(expression.isTrue(in: Self.context))
    }

    @Test("nested comprehensions over long lists stop at the work bound instead of running for hours")
    func evaluationIsBounded() throws {
        let long = ExpressionValue.list((0..<2_000).map { .number(Double($0)) })
        let context = ExpressionTestContext(["steps.a.outputs.xs": long])
        let linear = try ExpressionParser.parse("len(a for a in steps.a.outputs.xs if a % 2 == 0) == 1000")
        #expect(linear.isTrue(in: context))
        let cubic = try ExpressionParser.parse(
            "any(any(any(a + b + c < 0 for c in steps.a.outputs.xs) for b in steps.a.outputs.xs) "
                + "for a in steps.a.outputs.xs)")
        let clock = ContinuousClock()
        let started = clock.now
        #expect(cubic.evaluate(in: context) == .null || cubic.evaluate(in: context) == .bool(false))
        // Eight billion steps unbounded; the bound makes it a fraction of a second.
        #expect(clock.now - started < .seconds(30))
    }

    @Test("function results are bounded: a replace that would grow past 1 MiB is null")
    func resultsAreBounded() throws {
        let context = ExpressionTestContext(["alert.labels.x": .string(String(repeating: "a", count: 100_000))])
        let grown = try ExpressionParser.parse("replace(alert.labels.x, 'a', '0123456789abcdef')")
        #expect(grown.evaluate(in: context) == .null)
        let kept = try ExpressionParser.parse("len(replace(alert.labels.x, 'a', 'bb'))")
        #expect(kept.evaluate(in: context) == .number(200_000))
    }
}
