import Foundation
import RunbookCore
import RunbookYAML
import Testing

@testable import RunbookReview

@Suite struct RunbookTestRunnerTests {
    @Test func fixtureTestsPassWithFullCoverage() async throws {
        let report = try await RunbookTestRunner.run(catalogDirectory: ReviewFixtures.path("unit-tests"), paths: [])
        #expect(report.loadProblems.isEmpty)
        #expect(
            report.results.map(\.name.value) == [
                "a full disk is cleaned and resolves", "a disk below the threshold is left alone and escalates",
                "an info alert routes nowhere",
            ])
        #expect(report.results.allSatisfy { $0.passed }, "\(report.results.flatMap(\.failures))")
        #expect(report.totals == .init(steps: 3, stepsRun: 3, branches: 2, branchesCovered: 2, rungs: 2, rungsFired: 2))
        #expect(report.passed)
    }

    /// `started_at` sets the drill's clock, so a branch on the weekday or the hour is testable,
    /// and the same on every machine without it.
    @Test func startedAtDecidesWhatNowIs() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: { name: weekend }
        match: { labels: { alertname: Weekend } }
        steps:
          - id: page_weekend_rota
            kind: notify
            when: weekday(now, "Europe/Berlin") in ["sat", "sun"] or hour(now, "Europe/Berlin") >= 22
            notify: [secondary]
            message: "after hours: {{ time_of_day(now, 'Europe/Berlin') }} on {{ weekday(now, 'Europe/Berlin') }}"
        """.write(toFile: catalog + "/runbooks/weekend.yaml", atomically: true, encoding: .utf8)
        try """
        apiVersion: rbx/v1
        kind: RunbookTest
        tests:
          - name: saturday night in Berlin pages the weekend rota
            started_at: 2026-12-05T23:30:00Z
            alert: { labels: { alertname: Weekend } }
            expect:
              steps: { page_weekend_rota: ran }
              status: [{ trigger: notify, contains: "after hours: 00:30 on sun" }]
          - name: the default start (a Thursday, 01:00 in Berlin) is a weekday morning
            alert: { labels: { alertname: Weekend } }
            expect:
              steps: { page_weekend_rota: skipped }
          - name: a start that is not a time is a located error
            started_at: saturday
            alert: { labels: { alertname: Weekend } }
            expect: { steps: { page_weekend_rota: ran } }
        """.write(toFile: catalog + "/tests/weekend.yaml", atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [])
        let results = Dictionary(uniqueKeysWithValues: report.results.map { ($0.name.value, $0) })
        #expect(results["saturday night in Berlin pages the weekend rota"]?.passed == true, "\(report.results)")
        #expect(results["the default start (a Thursday, 01:00 in Berlin) is a weekday morning"]?.passed == true)
        #expect(
            report.loadProblems.map(\.message).contains {
                $0.contains("started_at: \"saturday\" is not an RFC 3339 time")
            }, "\(report.loadProblems)")
    }

    @Test func coverageNamesWhatOneTestLeavesOut() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        let tests = catalog + "/tests/disk-full.yaml"
        let text = try String(contentsOfFile: tests, encoding: .utf8)
        let cut = try #require(text.range(of: "\n  - name: a disk below"))
        let firstOnly = String(text[..<cut.lowerBound])
        try firstOnly.write(toFile: tests, atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [])
        #expect(report.passed)
        #expect(report.totals == .init(steps: 3, stepsRun: 3, branches: 2, branchesCovered: 1, rungs: 2, rungsFired: 0))
        let coverage = try #require(report.coverage.first)
        #expect(coverage.gaps == ["branches clean when=false", "escalation rung 1 (10m), rung 2 (30m)"])
        #expect(report.text().contains("steps 3/3, branches 1/2, escalation 0/2"))
    }

    /// Issue 13, item 10: coverage counts a called playbook's steps and guards, and does not count
    /// the `when=true` branch of a guard that can never hold.
    @Test func coverageCountsPlaybookStepsAndOnlyBranchesThatCanBeTaken() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try ReviewFixtures.edit(
            catalog + "/runbooks/disk-full.yaml", replacing: "resolved_when:",
            with: """
                  - id: shout
                    kind: diagnostic
                    when: not steps.usage.ok
                    run: [echo, the usage check failed]
                  - id: tidy
                    kind: remediation
                    uses: tidy
                resolved_when:
                """)
        try FileManager.default.createDirectory(atPath: catalog + "/playbooks", withIntermediateDirectories: true)
        try """
        apiVersion: rbx/v1
        kind: Playbook
        metadata: { name: tidy }
        inputs:
          force: { type: boolean, default: false }
        steps:
          - id: rotate
            kind: remediation
            when: inputs.force
            run: [logrotate, --force, /etc/logrotate.conf]
            timeout: 1m

        """.write(toFile: catalog + "/playbooks/tidy.yaml", atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [])
        #expect(report.loadProblems.isEmpty, "\(report.loadProblems)")
        let coverage = try #require(report.coverage.first)
        #expect(coverage.steps == ["usage", "clean", "verify", "shout", "tidy", "tidy.rotate"])
        #expect(coverage.guarded == ["clean", "shout", "tidy.rotate"])
        #expect(coverage.neverTrue == ["shout"])
        #expect(coverage.branchCount == 5)
        #expect(coverage.guardsFalse.contains("tidy.rotate"), "the playbook's guard was seen to be false")
        #expect(!coverage.gaps.joined().contains("shout when=true"))
    }

    @Test func aRunbookChangedUnderItsTestsFailsAtTheExpectationsLine() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try ReviewFixtures.edit(catalog + "/runbooks/disk-full.yaml", replacing: "\"+7\"", with: "\"+3\"")
        try ReviewFixtures.edit(catalog + "/runbooks/disk-full.yaml", replacing: "after: 30m", with: "after: 45m")
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [])
        #expect(!report.passed)
        let failures = report.results.flatMap(\.failures)
        #expect(failures.count == 2)
        let argv = try #require(failures.first { $0.message.contains("argv of clean") })
        #expect(argv.location.file.hasSuffix("tests/disk-full.yaml"))
        #expect((argv.location.line, argv.location.column) == (16, 16))
        #expect(
            argv.message.contains(
                #"expected ["find", "/var/tmp", "-mtime", "+7", "-delete"], got ["find", "/var/tmp", "-mtime", "+3", "-delete"]"#
            ))
        #expect(argv.message.contains("runbooks/disk-full.yaml:15)"))
        let ladder = try #require(failures.first { $0.message.contains("escalations") })
        #expect(ladder.location.line == 29)
        #expect(
            ladder.message.contains(
                "expected [10m secondary; 30m lead; 1h30m lead], got [10m secondary; 45m lead; 1h45m lead]"))
    }

    @Test func stepStatusAndOutcomeFailuresSayWhatHappened() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try ReviewFixtures.edit(
            catalog + "/tests/disk-full.yaml", replacing: "usage: {outcome: ok, stdout: \"Use%\\n 95%\"}",
            with: "usage: fail")
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [])
        let messages = report.results[0].failures.map(\.message)
        #expect(
            messages.contains { $0.contains("outcome: expected resolved, got failed (stopped: step usage failed)") })
        #expect(messages.contains { $0.contains("step usage (") && $0.contains("expected ok, got failed") })
        #expect(
            messages.contains {
                $0.contains("step clean (") && $0.contains("expected ok, got not reached: stopped: step usage failed")
            })
    }

    @Test func problemsInTestFilesAreLocated() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try """
        apiVersion: rbx/v1
        kind: RunbookTest
        tests:
          - name: typo
            alert: {labels: {severity: P1}}
            assume: {usage: maybe}
            expect: {outcom: resolved}
          - name: file
            alert: examples/missing.json
            expect: {}
        """.write(toFile: catalog + "/tests/broken.yaml", atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [catalog + "/tests/broken.yaml"])
        let problems = report.loadProblems.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(problems.contains { $0.hasPrefix("5:12 test \"typo\": alert field labels.alertname:") })
        #expect(problems.contains { $0.hasPrefix("6:21 assume.usage: write ok, fail, exit:N or timeout") })
        #expect(
            problems.contains { $0.hasPrefix("7:14 unknown key \"outcom\"") && $0.contains("did you mean \"outcome\"") }
        )
        #expect(
            problems.contains { $0.hasPrefix("9:12 test \"file\": cannot read alert file \"examples/missing.json\"") })
        #expect(!report.passed)
    }

    @Test func aLaterResolvedNotificationResolvesTheRun() async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try """
        apiVersion: rbx/v1
        kind: RunbookTest
        tests:
          - name: resolved by Prometheus at 20m
            alerts:
              - {at: 0s, alert: {labels: {alertname: DiskFull, severity: P3, mount: /data}}}
              - {at: 20m, alert: {status: resolved, labels: {alertname: DiskFull, severity: P3, mount: /data}}}
            assume:
              usage: {outcome: ok, stdout: "10%"}
            expect:
              outcome: resolved
              escalations: [{at: 10m, notify: [secondary]}]
        """.write(toFile: catalog + "/tests/resolved.yaml", atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(
            catalogDirectory: catalog, paths: [catalog + "/tests/resolved.yaml"])
        #expect(report.passed, "\(report.results.flatMap(\.failures)) \(report.loadProblems)")
    }

    @Test(arguments: [#"clean: "ok:12m""#, "clean: {outcome: ok, took: 12m}"])
    func anAssumedDurationMovesTheRestOfTheRunInVirtualTime(_ clean: String) async throws {
        let catalog = try ReviewFixtures.copy("unit-tests")
        try ReviewFixtures.edit(catalog + "/runbooks/disk-full.yaml", replacing: "timeout: 2m", with: "timeout: 20m")
        let test = """
            apiVersion: rbx/v1
            kind: RunbookTest
            tests:
              - name: the cleanup takes 12 minutes, so the first rung pages before the run resolves
                alert: {labels: {alertname: DiskFull, severity: P3, mount: /data}}
                assume:
                  usage: {outcome: ok, stdout: "95%"}
                  \(clean)
                expect:
                  outcome: resolved
                  escalations: [{at: 10m, notify: [secondary]}]
            """
        try test.write(toFile: catalog + "/tests/slow.yaml", atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [catalog + "/tests/slow.yaml"])
        #expect(report.passed, "\(report.results.flatMap(\.failures)) \(report.loadProblems)")
        // Without the duration the run resolves at once, and nobody is paged.
        try test.replacingOccurrences(of: clean, with: "clean: ok").write(
            toFile: catalog + "/tests/slow.yaml", atomically: true, encoding: .utf8)
        let instant = try await RunbookTestRunner.run(
            catalogDirectory: catalog, paths: [catalog + "/tests/slow.yaml"])
        #expect(!instant.passed)
        #expect(instant.results.flatMap(\.failures).contains { $0.message.contains("escalations") })
        // Longer than the step's timeout, it times out, as the real step would be cut off.
        try test.replacingOccurrences(of: clean, with: #"clean: "ok:25m""#).write(
            toFile: catalog + "/tests/slow.yaml", atomically: true, encoding: .utf8)
        let cutOff = try await RunbookTestRunner.run(catalogDirectory: catalog, paths: [catalog + "/tests/slow.yaml"])
        #expect(cutOff.results.flatMap(\.failures).contains { $0.message.contains("step clean timed_out") })
    }
}

@Suite struct QueryAssumptionTests {
    /// The example catalog, whose api-latency-high asks Prometheus in its p99 step.
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test func anAssumedStdoutForAQueryStepFailsTheTestInsteadOfBeingIgnored() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-query-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try """
        apiVersion: rbx/v1
        kind: RunbookTest
        metadata: {name: stdout-for-a-query}
        tests:
          - name: p99 assumed as printed text
            alert: examples/alerts/api-latency-high.json
            assume:
              p99: {outcome: ok, stdout: '{"status":"success"}'}
        """.write(to: file, atomically: true, encoding: .utf8)
        let report = try await RunbookTestRunner.run(catalogDirectory: Self.repositoryRoot, paths: [file.path])
        let failures = report.results.flatMap(\.failures).map(\.message)
        #expect(
            failures.contains {
                $0.contains("assume.p99: p99 is a query step, which prints nothing; assume its result instead")
            }, "\(failures)")
    }
}
