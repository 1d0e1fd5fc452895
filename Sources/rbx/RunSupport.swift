import ArgumentParser
import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle

/// The shared tail of `rbx run` and `rbx drill`: run the engine, print the timeline, write the
/// evidence bundle, map the outcome to an exit code.
struct RunSupport {
    var catalog: String
    var runbook: String?
    var alertPath: String
    var evidenceDirectory: String?
    var writeEvidence: Bool
    var json: Bool
    /// `rbx run`'s source of approval decisions, and the steps named on the command line
    /// (checked against the runbook's approval steps before anything runs).
    var approvals: (prompter: ApprovalAnswers, named: [String])?

    func execute<C: Clock<Duration> & Sendable>(
        mode: RunOptions.Mode, clock: C, sender: (SecretResolver, [String: String]) -> any NotificationSender
    ) async -> CommandOutcome {
        var outcome = CommandOutcome()
        let environment = ProcessInfo.processInfo.environment
        guard
            let bytes = alertPath == "-"
                ? Optional(FileHandle.standardInput.readDataToEndOfFile())
                : FileManager.default.contents(atPath: alertPath)
        else {
            return CommandOutcome(stderr: "rbx: \(alertPath): cannot read the alert file\n", exitCode: RbxExit.usage)
        }
        let preparation: RunPreparation
        do {
            preparation = try await RunPreparation.prepare(
                catalogDirectory: catalog, runbookName: runbook, alertBytes: [UInt8](bytes))
        } catch {
            return CommandOutcome(stderr: "rbx: \(error)\n", exitCode: RbxExit.usage)
        }
        if !preparation.mismatch.isEmpty {
            outcome.stderr +=
                "rbx: note: this alert would not route to \(preparation.runbook.name): \(preparation.mismatch.joined(separator: "; "))\n"
        }
        if let approvals {
            let known = preparation.catalog.approvalStepIDs(of: preparation.runbook)
            if let unknown = approvals.named.first(where: { !known.contains($0) }) {
                let listed = known.isEmpty ? "it has none" : "it has \(known.joined(separator: ", "))"
                return CommandOutcome(
                    stderr:
                        "rbx: --approve/--deny \(unknown): \(preparation.runbook.name) has no approval step of that id; \(listed)\n",
                    exitCode: RbxExit.usage)
            }
        }
        let runner = ProcessCommandRunner()
        var options = RunOptions(
            mode: mode, runID: UUID().uuidString.lowercased(), startedAt: Date().formatted(.iso8601),
            environment: environment)
        options.prompter = approvals?.prompter
        options.startedBy = approvals?.prompter.person.name
        let engine = RunEngine(
            catalog: preparation.catalog, clock: clock, runner: runner,
            sender: sender(
                SecretResolver(environment: environment),
                environment.filter { preparation.catalog.config.envAllow.contains($0.key) }))
        let record = await engine.run(preparation.runbook, alert: preparation.alert, options: options)
        outcome.stdout = json ? "" : record.timeline.map(\.line).joined(separator: "\n") + "\n"
        var bundlePath: String?
        if writeEvidence {
            let commit = await GitCommit.of(directory: catalog, runner: runner, environment: environment)
            let builder = EvidenceBundleBuilder(alertJSON: preparation.alertJSON, gitCommit: commit)
            let directory =
                evidenceDirectory ?? CatalogLoader.resolve(preparation.catalog.config.evidenceDirectory, in: catalog)
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                var signingKey: EvidenceSigningKey?
                do {
                    signingKey = try EvidenceSigningKey.configured(
                        preparation.catalog.config.evidenceSigningKey, environment: environment)
                } catch {
                    outcome.stderr += "rbx: \(error); the evidence bundle is not signed\n"
                }
                let written = try EvidenceWriter(directory: directory, signingKey: signingKey).write(
                    name: EvidenceBundleBuilder.name(for: record), files: builder.files(for: record))
                bundlePath = written.path
                if !json {
                    outcome.stdout += "\nevidence: \(written.path) (manifest sha256 \(written.manifestDigest))\n"
                }
            } catch {
                outcome.stderr += "rbx: could not write the evidence bundle: \(error)\n"
                outcome.exitCode = RbxExit.failed
            }
        }
        if json {
            let object: [String: Any] = [
                "run": record.id, "runbook": record.runbook.name, "mode": record.mode,
                "outcome": record.outcome.rawValue,
                "evidence": bundlePath ?? NSNull(), "timeline": record.timeline.map(\.line),
            ]
            outcome.stdout =
                (try? JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) + "\n" } ?? ""
        }
        if outcome.exitCode == RbxExit.ok && !record.succeeded { outcome.exitCode = RbxExit.failed }
        return outcome
    }
}
