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
    /// Nil: the runbook's schedule tick at or before `tickAt` (``RunPreparation/tick(of:in:at:)``).
    var alertPath: String?
    /// The instant whose tick a scheduled run stands for; nil: now.
    var tickAt: Date?
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
        var bytes: Data?
        if let alertPath {
            bytes =
                alertPath == "-"
                ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: alertPath)
            if bytes == nil {
                return CommandOutcome(
                    stderr: "rbx: \(alertPath): cannot read the alert file\n", exitCode: RbxExit.usage)
            }
        }
        let startedAt = tickAt ?? Date()
        let preparation: RunPreparation
        do {
            preparation = try await RunPreparation.prepare(
                catalogDirectory: catalog, runbookName: runbook, alertBytes: bytes.map { [UInt8]($0) },
                tickAt: Int64((startedAt.timeIntervalSince1970 * 1000).rounded()))
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
            mode: mode, runID: UUID().uuidString.lowercased(), startedAt: startedAt.formatted(.iso8601),
            environment: environment)
        options.prompter = approvals?.prompter
        options.startedBy = approvals?.prompter.person.name
        let engine = RunEngine(
            catalog: preparation.catalog, clock: clock, runner: runner,
            sender: sender(
                SecretResolver(environment: environment),
                environment.filter { preparation.catalog.config.envAllow.contains($0.key) }))
        // A `stop` step's hand-off starts the next runbook for the same alert (``RunHandoff``).
        var records = [await engine.run(preparation.runbook, alert: preparation.alert, options: options)]
        while let last = records.last,
            let next = RunHandoff.next(after: last, made: records.count - 1, in: preparation.catalog)
        {
            switch next {
            case .failure(let refusal):
                outcome.stderr += "rbx: \(refusal)\n"
                outcome.exitCode = RbxExit.failed
            case .success(let runbook):
                var handed = options
                handed.runID = UUID().uuidString.lowercased()
                handed.startedAt = Date().formatted(.iso8601)
                handed.handedOffFrom = RunHandoff.Origin(runID: last.id, runbook: last.runbook.name)
                records.append(await engine.run(runbook, alert: preparation.alert, options: handed))
                continue
            }
            break
        }
        var reports: [[String: Any]] = []
        for record in records {
            if !json {
                if record.id != records[0].id { outcome.stdout += "\n--- handed off to \(record.runbook.name)\n" }
                outcome.stdout += record.timeline.map(\.line).joined(separator: "\n") + "\n"
            }
            let bundlePath =
                writeEvidence ? await evidence(for: record, preparation, runner, environment, &outcome) : nil
            reports.append([
                "run": record.id, "runbook": record.runbook.name, "mode": record.mode,
                "outcome": record.outcome.rawValue,
                "evidence": bundlePath ?? NSNull(), "timeline": record.timeline.map(\.line),
            ])
        }
        if json {
            var object = reports[0]
            if reports.count > 1 { object["handed_off"] = Array(reports.dropFirst()) }
            outcome.stdout =
                (try? JSONSerialization.data(
                    withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
                .map { String(decoding: $0, as: UTF8.self) + "\n" } ?? ""
        }
        // The exit code is the last run's: the one that kept the alert.
        let record = records[records.count - 1]
        if outcome.exitCode == RbxExit.ok && !record.succeeded { outcome.exitCode = RbxExit.failed }
        return outcome
    }

    /// Writes one run's evidence bundle; returns its path, or nil (with the reason on stderr).
    private func evidence(
        for record: RunRecord, _ preparation: RunPreparation, _ runner: ProcessCommandRunner,
        _ environment: [String: String], _ outcome: inout CommandOutcome
    ) async -> String? {
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
            if !json {
                outcome.stdout += "\nevidence: \(written.path) (manifest sha256 \(written.manifestDigest))\n"
            }
            return written.path
        } catch {
            outcome.stderr += "rbx: could not write the evidence bundle: \(error)\n"
            outcome.exitCode = RbxExit.failed
            return nil
        }
    }
}
