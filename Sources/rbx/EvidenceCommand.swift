import ArgumentParser
import Foundation
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
        discussion: HelpText.reflow(
            """
            Exit codes: 0 every file matches the manifest, 1 a file was changed, added or
            removed (each is named), 2 the bundle cannot be read.

            --manifest-digest compares the manifest's own SHA-256 with the one rbx printed
            (and recorded) when it wrote the bundle, which also catches a rewritten bundle
            whose manifest was recomputed.

            --key checks MANIFEST.sha256.sig, the Ed25519 signature rbx writes when
            evidence.signing_key is set, against a public key (PEM from `openssl pkey
            -pubout`): a rewritten bundle fails without anything else kept.
            """))

    @Argument(help: "The bundle directory.")
    var directory: String

    @Option(help: "The expected SHA-256 of MANIFEST.sha256 (hex).")
    var manifestDigest: String?

    @Option(
        help: ArgumentHelp("A file with the Ed25519 public key the manifest must be signed with.", valueName: "file"))
    var key: String?

    @Option(help: "Output format: text or json (valid, files, problems).")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Print nothing; the exit code says whether the bundle is intact.")
    var quiet = false

    func execute() async -> CommandOutcome {
        await verify().quieted(quiet)
    }

    private func verify() async -> CommandOutcome {
        do {
            let verifyingKey = try key.map { path throws in
                try EvidenceVerifyingKey(text: String(contentsOfFile: path, encoding: .utf8))
            }
            let report = try EvidenceVerifier.verify(
                directory: directory, expectedManifestDigest: manifestDigest, verifyingKey: verifyingKey)
            if format == .json {
                let object: [String: Any] = [
                    "valid": report.isValid, "files": report.fileCount, "signed": verifyingKey != nil && report.isValid,
                    "problems": report.problems.map(\.description),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                return CommandOutcome(
                    stdout: String(decoding: data, as: UTF8.self) + "\n",
                    exitCode: report.isValid ? RbxExit.ok : RbxExit.failed)
            }
            if report.isValid {
                let signed = verifyingKey == nil ? "" : "; the manifest is signed by the key"
                return CommandOutcome(stdout: "ok: \(report.fileCount) files match MANIFEST.sha256\(signed)\n")
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
