import ArgumentParser
import RunbookEngine

struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence",
        abstract: "Work with evidence bundles.",
        subcommands: [VerifyEvidenceCommand.self])
}

struct VerifyEvidenceCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check an evidence bundle against its MANIFEST.sha256.",
        discussion: """
            Exit codes: 0 every file matches the manifest, 1 a file was changed, added or
            removed (each is named), 2 the bundle cannot be read.

            --manifest-digest compares the manifest's own SHA-256 with the one rbx printed
            (and recorded) when it wrote the bundle, which also catches a rewritten bundle
            whose manifest was recomputed.
            """)

    @Argument(help: "The bundle directory.")
    var directory: String

    @Option(help: "The expected SHA-256 of MANIFEST.sha256 (hex).")
    var manifestDigest: String?

    func execute() async -> CommandOutcome {
        do {
            let report = try EvidenceVerifier.verify(directory: directory, expectedManifestDigest: manifestDigest)
            if report.isValid {
                return CommandOutcome(stdout: "ok: \(report.fileCount) files match MANIFEST.sha256\n")
            }
            let lines = report.problems.map(\.description)
            return CommandOutcome(
                stdout: lines.joined(separator: "\n") + "\nFAILED: \(report.problems.count) problems\n",
                exitCode: RbxExit.failed)
        } catch {
            return CommandOutcome(stderr: "rbx evidence verify: \(error)\n", exitCode: RbxExit.usage)
        }
    }
}
