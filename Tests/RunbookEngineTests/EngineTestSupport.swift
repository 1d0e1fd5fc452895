import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle

/// Loads the engine's fixture catalog and runs its runbooks, for the tests.
enum EngineFixture {
    static let catalogDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/catalog").path

    static func catalog() async throws -> Catalog {
        let catalog = try await CatalogLoader.load(directory: catalogDirectory)
        let errors = catalog.diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw FixtureError(message: errors.map(\.description).joined(separator: "\n")) }
        return catalog
    }

    static func alert(_ name: String, labels: [String: String] = [:], status: Alert.Status = .firing) -> Alert {
        var all = labels
        all["alertname"] = name
        return Alert(
            fingerprint: AlertFingerprint.of(all), name: name, source: "prometheus", severity: "P2", rawSeverity: "P2",
            status: status, labels: all, annotations: [:])
    }

    /// A run id of its own per call: a step's processes are marked `RUN/STEP`, and the end of a
    /// step kills whatever still carries its mark, so two tests running the same step id under
    /// one run id at once would kill each other's steps.
    static func options(
        _ mode: RunOptions.Mode, environment: [String: String] = [:],
        runID: String = "test-run-" + UUID().uuidString.prefix(8).lowercased()
    ) -> RunOptions {
        var env = environment
        env["PATH"] = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return RunOptions(
            mode: mode, runID: runID, startedAt: "2026-11-24T10:00:00Z", environment: env,
            killGrace: .milliseconds(300))
    }

    /// Runs a runbook of the fixture catalog on a virtual clock.
    static func run(
        _ runbookName: String, alert: Alert, mode: RunOptions.Mode, environment: [String: String] = [:]
    ) async throws -> RunRecord {
        let catalog = try await catalog()
        guard let runbook = catalog.runbook(named: runbookName) else {
            throw FixtureError(message: "no runbook \(runbookName)")
        }
        let engine = RunEngine(
            catalog: catalog, clock: VirtualClock(), runner: ProcessCommandRunner(),
            sender: RecordingNotificationSender())
        return await engine.run(runbook, alert: alert, options: options(mode, environment: environment))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension RunRecord {
    /// Every step (and playbook child) with its status, exit, signal and note: what a failed
    /// expectation about the steps needs to say why a step did not do what the test expected.
    var stepReport: String {
        func line(_ step: StepResult, indent: String) -> [String] {
            let exit = step.exitCode.map { " exit=\($0)" } ?? ""
            let signal = step.signal.map { " signal=\($0)" } ?? ""
            let note = step.note.map { " note=\($0)" } ?? ""
            let stderr = step.stderr.isEmpty ? "" : " stderr=\(step.stderr.prefix(200))"
            return ["\(indent)\(step.id) \(step.status)\(exit)\(signal)\(note)\(stderr)"]
                + step.children.flatMap { line($0, indent: indent + "  ") }
        }
        return steps.flatMap { line($0, indent: "") }.joined(separator: "\n")
    }
}
