import Foundation
import Testing

/// Issue 13, item 9: a bundle rewritten together with its MANIFEST verified unless the digest
/// was kept. With `evidence.signing_key`, rbx signs the manifest (Ed25519); `rbx evidence verify
/// --key` and OpenSSL both check it, and a rewritten bundle fails without anything else kept.
@Suite struct EvidenceSigningTests {
    @Test func aSignedBundleVerifiesAndARewrittenOneDoesNot() async throws {
        let directory = try ServeProcess.catalog(runbooks: [
            "look.yaml": ServeProcess.runbook(
                "look", alertname: "Look",
                steps: """
                      - id: look
                        kind: diagnostic
                        timeout: 10s
                        run: [/bin/echo, "looked at {{alert.labels.host}}"]
                    """)
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/rbx.yaml"
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "evidence:\n", with: "evidence:\n  signing_key: \"${RBX_EVIDENCE_KEY}\"\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        for (tool, arguments) in [
            ("openssl", ["genpkey", "-algorithm", "ed25519", "-out", "\(directory)/rbx.key"]),
            ("openssl", ["pkey", "-in", "\(directory)/rbx.key", "-pubout", "-out", "\(directory)/rbx.pub"]),
            ("openssl", ["genpkey", "-algorithm", "ed25519", "-out", "\(directory)/other.key"]),
            ("openssl", ["pkey", "-in", "\(directory)/other.key", "-pubout", "-out", "\(directory)/other.pub"]),
        ] {
            #expect(try await ServeProcess.tool([tool] + arguments).status == 0)
        }
        try #"{"labels":{"alertname":"Look","host":"web-1"}}"#.write(
            toFile: "\(directory)/alert.json", atomically: true, encoding: .utf8)
        var environment = ProcessInfo.processInfo.environment
        environment["RBX_EVIDENCE_KEY_FILE"] = "\(directory)/rbx.key"
        let run = try await RbxBinary.run(
            ["run", "look", "--alert", "\(directory)/alert.json", "--catalog", directory], environment: environment)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        let bundle = try #require(run.stdout.firstMatch(of: /evidence: (\S+) \(manifest/)?.1).description
        #expect(FileManager.default.fileExists(atPath: bundle + "/MANIFEST.sha256.sig"))

        let verified = try await RbxBinary.run(["evidence", "verify", bundle, "--key", "\(directory)/rbx.pub"])
        #expect(verified.status == 0, "\(verified.stdout)\(verified.stderr)")
        #expect(verified.stdout.contains("the manifest is signed by the key"))
        // An auditor without rbx: the signature is base64 of what OpenSSL verifies.
        let openssl = try await ServeProcess.tool([
            "/bin/sh", "-c",
            "cd \"$1\" && base64 -d MANIFEST.sha256.sig > \"$2/sig.bin\" && openssl pkeyutl -verify -pubin "
                + "-inkey \"$2/rbx.pub\" -rawin -in MANIFEST.sha256 -sigfile \"$2/sig.bin\"",
            "sh", bundle, directory,
        ])
        #expect(openssl.stdout.contains("Signature Verified Successfully"), "\(openssl.stdout)\(openssl.stderr)")

        let otherKey = try await RbxBinary.run(["evidence", "verify", bundle, "--key", "\(directory)/other.pub"])
        #expect(otherKey.status == 1)
        #expect(otherKey.stdout.contains("signature: MANIFEST.sha256 is not signed by this key"))
        // The same verdicts for a script: JSON, or nothing but the exit code.
        let json = try await RbxBinary.run(
            ["evidence", "verify", bundle, "--key", "\(directory)/other.pub", "--format", "json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(json.status == 1 && object["valid"] as? Bool == false && object["signed"] as? Bool == false)
        #expect((object["problems"] as? [String])?.contains { $0.contains("not signed by this key") } == true)
        let quiet = try await RbxBinary.run(["evidence", "verify", bundle, "--key", "\(directory)/rbx.pub", "-q"])
        #expect(quiet.status == 0 && quiet.stdout.isEmpty)

        // Rewrite a file and recompute the manifest, as an attacker with write access would.
        let steps = try FileManager.default.contentsOfDirectory(atPath: bundle + "/steps")
        let output = try #require(steps.first { $0.hasSuffix(".stdout") })
        try "looked at nothing\n".write(toFile: "\(bundle)/steps/\(output)", atomically: true, encoding: .utf8)
        let rewrite = try await ServeProcess.tool([
            "/bin/sh", "-c",
            "cd \"$1\" && find . -type f ! -name 'MANIFEST.sha256*' | sed 's|^\\./||' | LC_ALL=C sort "
                + "| xargs sha256sum > MANIFEST.sha256",
            "sh", bundle,
        ])
        #expect(rewrite.status == 0, "\(rewrite.stderr)")
        #expect(try await RbxBinary.run(["evidence", "verify", bundle]).status == 0, "the manifest alone is fooled")
        let rewritten = try await RbxBinary.run(["evidence", "verify", bundle, "--key", "\(directory)/rbx.pub"])
        #expect(rewritten.status == 1)
        #expect(rewritten.stdout.contains("signature: MANIFEST.sha256 is not signed by this key"))

        try FileManager.default.removeItem(atPath: bundle + "/MANIFEST.sha256.sig")
        let unsigned = try await RbxBinary.run(["evidence", "verify", bundle, "--key", "\(directory)/rbx.pub"])
        #expect(unsigned.status == 1)
        #expect(unsigned.stdout.contains("signature: MANIFEST.sha256.sig is missing"))
    }

    @Test func aServerWithASigningKeyThatIsNotSetRefusesToStart() async throws {
        let directory = try ServeProcess.catalog(runbooks: [:])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = directory + "/rbx.yaml"
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "evidence:\n", with: "evidence:\n  signing_key: \"${RBX_MISSING_KEY}\"\n")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let server = ServeProcess(directory: directory)
        await #expect(throws: ServeProcessError.self) { try await server.start() }
        #expect(server.log().contains("evidence.signing_key"), "\(server.log())")
    }
}
