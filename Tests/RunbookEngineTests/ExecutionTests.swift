import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Real subprocesses through the engine: injection, quoting, patterns, polling, timeouts.
struct ExecutionTests {
    @Test("hostile label values reach argv verbatim, are shell-quoted in shell:, and fail an input pattern")
    func hostileLabels() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pwned = directory.appendingPathComponent("pwned").path
        let payload = "x; rm -rf / $(touch \(pwned)) `touch \(pwned)`"
        let alert = EngineFixture.alert("Hostile", labels: ["payload": payload, "other": "{{alert.name}}"])
        let record = try await EngineFixture.run("hostile-input", alert: alert, mode: .live)
        let argv = try #require(record.steps.first { $0.id == "argv" })
        #expect(argv.status == .ok)
        #expect(argv.stdout == payload + "\0" + "{{alert.name}}" + "\0")
        let quoted = try #require(record.steps.first { $0.id == "quoted" })
        #expect(quoted.status == .ok)
        #expect(quoted.stdout == payload)
        let pattern = try #require(record.steps.first { $0.id == "pattern" })
        #expect(pattern.status == .failed)
        #expect(pattern.children.isEmpty)
        #expect(pattern.note?.contains("does not match pattern") == true)
        #expect(!FileManager.default.fileExists(atPath: pwned))
    }

    @Test("retries on a playbook call run the whole call again after the backoff; without retries it fails once")
    func retriedPlaybookCall() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alert = EngineFixture.alert(
            "RetriedPlaybook",
            labels: [
                "counter": directory.appendingPathComponent("counter").path,
                "other": directory.appendingPathComponent("other").path,
            ])
        let record = try await EngineFixture.run("retried-playbook", alert: alert, mode: .live)
        let fix = try #require(record.steps.first { $0.id == "fix" })
        #expect(fix.status == .ok)
        #expect(fix.attempts == 3)
        #expect(fix.children.first?.stdout == "call=3\n")
        // The virtual clock also advances by each process's real run time, so: at least 20s apart.
        let first = try #require(
            record.timeline.first { $0.summary == "fix attempt 1 failed; calling fail-first again in 20s" })
        let second = try #require(
            record.timeline.first { $0.summary == "fix attempt 2 failed; calling fail-first again in 20s" })
        #expect(second.at - first.at >= .seconds(20))
        let once = try #require(record.steps.first { $0.id == "fix_once" })
        #expect(once.status == .failed)
        #expect(once.attempts == 1)
    }

    @Test("until polls every interval on the clock until the condition holds")
    func untilPolling() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alert = EngineFixture.alert(
            "Polling",
            labels: [
                "counter": directory.appendingPathComponent("counter").path,
                "pidfile": directory.appendingPathComponent("pid").path,
            ])
        let record = try await EngineFixture.run("polling", alert: alert, mode: .live)
        let count = try #require(record.steps.first { $0.id == "count" })
        #expect(count.status == .ok)
        #expect(count.attempts == 3)
        #expect(count.outputs["calls"] == .string("3"))
        // Two intervals between three polls (three attempts, above, rules out a fourth). No upper
        // bound: the commands' real time is added on top, and a loaded machine (the full suite on
        // 2 cores) has made that more than an interval.
        #expect(count.duration >= .seconds(30))
    }

    @Test("a step that times out is killed with its children: the sleep grandchild does not survive")
    func timeoutKillsTheGroup() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pidfile = directory.appendingPathComponent("pid").path
        let alert = EngineFixture.alert(
            "Polling", labels: ["counter": directory.appendingPathComponent("c").path, "pidfile": pidfile])
        let record = try await EngineFixture.run("polling", alert: alert, mode: .live)
        let slow = try #require(record.steps.first { $0.id == "slow" })
        #expect(slow.status == .timedOut)
        let pidText = try String(contentsOfFile: pidfile, encoding: .utf8).trimmingCharacters(
            in: .whitespacesAndNewlines)
        let pid = try #require(Int32(pidText))
        var alive = true
        for _ in 0..<300 where alive {
            alive = kill(pid, 0) == 0
            if alive { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!alive, "grandchild \(pid) outlived the step")
    }

    @Test("secrets from ${NAME} and configured patterns never reach any file of the bundle")
    func secretsAreRedacted() async throws {
        let secret = "hunter2-correct-horse"
        let record = try await EngineFixture.run(
            "secrets", alert: EngineFixture.alert("Secrets"), mode: .live, environment: ["RBX_TEST_TOKEN": secret])
        let leak = try #require(record.steps.first)
        #expect(leak.stdout == "token is <secret>\n")
        #expect(leak.stderr == "key <secret>\n")
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = EvidenceBundleBuilder(alertJSON: Array("{}".utf8), gitCommit: nil).files(for: record)
        let written = try EvidenceWriter(directory: directory.path).write(name: "bundle", files: files)
        let enumerator = FileManager.default.enumerator(atPath: written.path)
        var checked = 0
        while let path = enumerator?.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: written.path + "/" + path) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains(secret), "\(path) holds the secret")
            #expect(!text.contains("sk_live_abc123"), "\(path) holds the patterned secret")
            checked += 1
        }
        #expect(checked >= 5)
    }

    @Test("a dry run changes nothing but records every command as would-run; the bundle verifies, a tampered one fails")
    func dryRunAndEvidence() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("created-by-remediation").path
        let record = try await EngineFixture.run(
            "side-effects", alert: EngineFixture.alert("SideEffects", labels: ["marker": marker]), mode: .dryRun)
        #expect(record.outcome == .rendered)
        #expect(record.steps.map(\.status) == [.wouldRun, .wouldRun, .wouldRun])
        #expect(record.steps[1].command == ["/usr/bin/touch", marker])
        #expect(
            record.timeline.contains { $0.line == "T+00:05:00  escalation  would page secondary-oncall if still open" })
        let evidence = directory.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: evidence, withIntermediateDirectories: true)
        let files = EvidenceBundleBuilder(alertJSON: Array("{}".utf8), gitCommit: nil).files(for: record)
        let written = try EvidenceWriter(directory: evidence.path).write(name: "dry", files: files)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["evidence"])
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(
            try EvidenceVerifier.verify(directory: written.path, expectedManifestDigest: written.manifestDigest).isValid
        )
        try "tampered\n".write(toFile: written.path + "/timeline.md", atomically: false, encoding: .utf8)
        let report = try EvidenceVerifier.verify(directory: written.path)
        #expect(report.problems == [.modified("timeline.md")])
    }
}
