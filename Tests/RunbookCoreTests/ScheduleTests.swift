import RunbookCore
import Testing

/// `schedule:`: parsing with located errors, and the ticks every replica computes alike.
@Suite struct ScheduleTests {
    /// Epoch milliseconds of a UTC time written `2026-12-07T03:10`.
    static func at(_ text: String) -> Int64 {
        Int64(RFC3339.secondsSinceEpoch(text + ":00Z")! * 1000)
    }

    static func shown(_ instant: Int64?) -> String {
        instant.map { String(RFC3339.format(epochMilliseconds: $0).prefix(16)) } ?? "none"
    }

    @Test(
        "next and latest ticks",
        arguments: [
            ("every 5m", "2026-12-07T03:12", "2026-12-07T03:15", "2026-12-07T03:10"),
            ("every 1h", "2026-12-07T03:00", "2026-12-07T04:00", "2026-12-07T03:00"),
            ("*/15 * * * *", "2026-12-07T03:14", "2026-12-07T03:15", "2026-12-07T03:00"),
            ("0 3 * * *", "2026-12-07T03:00", "2026-12-08T03:00", "2026-12-07T03:00"),
            ("30 2 * * MON-FRI", "2026-12-05T12:00", "2026-12-07T02:30", "2026-12-04T02:30"),
            ("0 0 29 2 *", "2026-03-01T00:00", "2028-02-29T00:00", "2024-02-29T00:00"),
            ("0 12 1 * 0", "2026-12-02T00:00", "2026-12-06T12:00", "2026-12-01T12:00"),
            ("@monthly", "2026-12-07T00:00", "2027-01-01T00:00", "2026-12-01T00:00"),
            ("5,35 */6 * JAN,DEC 7", "2026-12-07T00:00", "2026-12-13T00:05", "2026-12-06T18:35"),
        ])
    func ticks(schedule: String, now: String, next: String, latest: String) throws {
        let parsed = try Schedule.parse(schedule)
        #expect(Self.shown(parsed.nextTick(after: Self.at(now))) == next)
        #expect(Self.shown(parsed.latestTick(atOrBefore: Self.at(now))) == latest)
    }

    @Test("a date that never comes is no tick, not a hang")
    func never() throws {
        let parsed = try Schedule.parse("0 0 30 2 *")
        #expect(parsed.nextTick(after: 0) == nil)
        #expect(parsed.latestTick(atOrBefore: Self.at("2026-12-07T00:00")) == nil)
    }

    @Test(
        "errors say what is wrong and where",
        arguments: [
            ("every", "every needs a duration, like every 5m", 5),
            ("every 500ms", "every needs an interval of at least 1s", 6),
            ("*/5 * * *", "a schedule is every DURATION or a cron expression of 5 fields", 0),
            ("0 24 * * *", "hour 24 is out of range 0-23", 2),
            ("0 0 * FOO *", "month: \"FOO\" is not a number 1-12", 6),
            ("*/0 * * * *", "minute: the step after / must be a whole number above 0", 2),
            ("0 5-3 * * *", "hour: the range 5-3 runs backwards", 2),
            ("@sometimes", "unknown schedule \"@sometimes\"", 0),
        ])
    func errors(schedule: String, message: String, offset: Int) {
        #expect {
            _ = try Schedule.parse(schedule)
        } throws: { error in
            guard let error = error as? ExpressionSyntaxError else { return false }
            return error.message.hasPrefix(message) && error.offset == offset
        }
    }

    @Test("a check decodes with its schedule and matches no alert; lint locates a bad cron field")
    func checkDocument() {
        let check = """
            apiVersion: rbx/v1
            kind: Check
            metadata: {name: detector}
            schedule: "0 25 * * *"
            steps:
              - id: probe
                kind: diagnostic
                run: [echo, "{{ alert.labels.service }}", "{{ alert.startsAt }}", "{{ alert.labels.alertname }}"]
              - id: page
                kind: raise
                raise: {alertname: QueueDeep, severity: P9, labels: {"bad label": x}}
            """
        let decoded = CatalogLoader.decodeRunbook(Array(check.utf8), path: "runbooks/detector.yaml")
        let messages = decoded.diagnostics.map(\.description)
        #expect(
            messages.contains(
                "runbooks/detector.yaml:4:14: error: schedule: hour 25 is out of range 0-23"), "\(messages)")
        #expect(messages.contains { $0.contains("raise.severity \"P9\" is not a level") }, "\(messages)")
        #expect(messages.contains { $0.contains("\"bad label\" is not a label name intake accepts") }, "\(messages)")
        #expect(
            messages.contains(
                "runbooks/detector.yaml:8:21: error: a check runs without an alert: alert.labels.service is always "
                    + "empty (its tick's alert has only alert.name and alert.startsAt, the tick)"), "\(messages)")
        #expect(messages.count == 4, "alert.startsAt and alert.labels.alertname are a tick's: \(messages)")
        #expect(decoded.runbook?.isCheck == true)
        #expect(decoded.runbook?.match.acceptsAlerts == false)
    }

    @Test("a check refuses the keys of an alert's runbook")
    func checkKeys() {
        let check = """
            apiVersion: rbx/v1
            kind: Check
            metadata: {name: detector}
            schedule: every 5m
            match: {labels: {alertname: X}}
            steps:
              - {id: probe, kind: diagnostic, run: [true]}
            """
        let messages = CatalogLoader.decodeRunbook(Array(check.utf8), path: "runbooks/d.yaml").diagnostics
            .map(\.description)
        #expect(
            messages.contains { $0.hasPrefix("runbooks/d.yaml:5:1: error:") && $0.contains("match") }, "\(messages)")
    }
}
