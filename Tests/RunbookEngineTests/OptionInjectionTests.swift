import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

/// Issue 13, item 2: `run: [ssh, -o, BatchMode=yes, "{{alert.labels.instance}}", uptime]` with
/// `instance=-oProxyCommand=touch …` ran the local command through ssh's ProxyCommand.
@Suite struct ArgvOptionInjectionTests {
    @Test func aLabelThatWouldBeAnOptionIsRefusedBeforeSshRuns() async throws {
        let directory = try EngineFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pwned = directory.appendingPathComponent("pwned").path
        let instance = "-oProxyCommand=touch \(pwned)"
        let alert = EngineFixture.alert("OptionInjection", labels: ["instance": instance])
        let record = try await EngineFixture.run("option-injection", alert: alert, mode: .live)
        let probe = try #require(record.steps.first { $0.id == "probe" })
        #expect(probe.status == .failed)
        #expect(probe.origin == .rendered)
        #expect(probe.exitCode == nil)
        let note = try #require(probe.note)
        #expect(note.contains("runbooks/option-injection.yaml:8:57: argv-option: step \"probe\" argv[5]"), "\(note)")
        #expect(note.contains("became \"-oProxyCommand=touch "))
        #expect(!FileManager.default.fileExists(atPath: pwned))
        // After `--`, with the step's opt-in, or behind literal text, the same value is an operand.
        #expect(record.steps.first { $0.id == "after_separator" }?.stdout == "--|\(instance)|")
        #expect(record.steps.first { $0.id == "opted_in" }?.stdout == "\(instance)|")
        #expect(record.steps.first { $0.id == "prefixed" }?.stdout == "host=\(instance)|")
        #expect(record.outcome == .succeeded)
    }

    @Test func dryRunsAndDrillsShowTheRefusalToo() async throws {
        let alert = EngineFixture.alert("OptionInjection", labels: ["instance": "-F/etc/shadow"])
        for mode in [RunOptions.Mode.dryRun, .drill(DrillOptions())] {
            let record = try await EngineFixture.run("option-injection", alert: alert, mode: mode)
            let probe = try #require(record.steps.first { $0.id == "probe" })
            #expect(probe.status == .failed)
            #expect(probe.note?.contains("argv-option") == true)
            #expect(record.timeline.contains { $0.line.contains("argv-option") })
        }
    }
}
