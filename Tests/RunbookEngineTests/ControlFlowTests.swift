import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import Testing

@Suite("Control flow: on_failure, finally, workdir, playbook outputs, durations from inputs")
struct ControlFlowTests {
    private func run(fail: Bool, grace: String = "2s") async throws -> (RunRecord, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rbx-cleanup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let alert = EngineFixture.alert(
            "Cleanup", labels: ["dir": directory.path, "fail": fail ? "yes" : "no", "grace": grace])
        return (try await EngineFixture.run("cleanup", alert: alert, mode: .live), directory)
    }

    private func exists(_ name: String, in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    @Test("a run that succeeds skips on_failure and runs finally; the playbook returns its outputs")
    func success() async throws {
        let (record, directory) = try await run(fail: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(record.outcome == .succeeded)
        #expect(record.steps.map(\.id) == ["enter", "where", "work", "after_work", "leave", "report"])
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(
            steps["where"]?.stdout == directory.path + "\n"
                || steps["where"]?.stdout.hasSuffix(directory.lastPathComponent + "\n") == true)
        #expect(steps["work"]?.outputs == ["slept": .string("2s"), "nap_ok": .bool(true)])
        #expect(steps["work"]?.children.map(\.id) == ["nap", "maybe_fail", "pause", "mark"])
        #expect(steps["after_work"]?.stdout == "true\n")
        #expect(steps["report"]?.stdout == "slept=2s failed=\n")
        #expect(!exists("maintenance", in: directory))
        #expect(exists("playbook-finally", in: directory))
        #expect(record.timeline.contains { $0.summary == "running finally steps" })
        #expect(!record.timeline.contains { $0.summary == "running on_failure steps" })
    }

    @Test("a failure runs every on_failure step (one failing does not skip the next), then finally; the run fails")
    func failure() async throws {
        let (record, directory) = try await run(fail: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(record.outcome == .failed)
        #expect(
            record.steps.map(\.id) == ["enter", "where", "work", "record_failure", "also_fails", "leave", "report"])
        let steps = Dictionary(uniqueKeysWithValues: record.steps.map { ($0.id, $0) })
        #expect(steps["work"]?.status == .failed)
        #expect(steps["work"]?.children.map(\.id) == ["nap", "maybe_fail", "mark"])
        #expect(steps["also_fails"]?.status == .failed)
        #expect(steps["leave"]?.status == .ok)
        #expect(steps["report"]?.stdout == "slept=2s failed=work\n")
        #expect(exists("failed-at-work", in: directory))
        #expect(exists("playbook-finally", in: directory))
        #expect(!exists("maintenance", in: directory))
    }

    @Test("a duration from an input that is not one, or is too long, fails the step with the reason")
    func badDuration() async throws {
        let (record, directory) = try await run(fail: false, grace: "30d")
        defer { try? FileManager.default.removeItem(at: directory) }
        let work = try #require(record.steps.first { $0.id == "work" })
        let nap = try #require(work.children.first { $0.id == "nap" })
        #expect(nap.status == .failed)
        #expect(nap.note == "{{ inputs.grace }} is 30d, longer than 7d")
        #expect(record.outcome == .failed)
        #expect(!exists("maintenance", in: directory))
    }
}
