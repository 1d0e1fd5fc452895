import Crypto
import Foundation
import RunbookCore

/// Ed25519 signatures over MANIFEST.sha256, in `MANIFEST.sha256.sig` (base64, one line).
///
/// The manifest vouches for every file, and its own digest, kept in the run record, catches a
/// bundle rewritten together with its manifest, but only for whoever still has the record. A
/// signature travels with the bundle: anyone with the public key can check that the manifest is
/// the one rbx wrote, without rbx (`base64 -d MANIFEST.sha256.sig > sig && openssl pkeyutl
/// -verify -pubin -inkey rbx.pub -rawin -in MANIFEST.sha256 -sigfile sig`).
///
/// Keys are what `openssl genpkey -algorithm ed25519` writes (PKCS #8 PEM) and `openssl pkey
/// -pubout` derives (SubjectPublicKeyInfo PEM), or the raw 32 bytes in base64.
public enum EvidenceSignature {
    public static let fileName = "MANIFEST.sha256.sig"
    /// Larger signature files are not read; a real one is 89 bytes.
    static let maximumSize = 4096

    /// The DER before the 32 key bytes (RFC 8410): PKCS #8 for a private key, SPKI for a public one.
    static let privatePrefix: [UInt8] = [
        0x30, 0x2E, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
    ]
    static let publicPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The 32 key bytes of `text`: a PEM block labelled `label` with `prefix`, or base64 of 32 bytes.
    static func keyBytes(_ text: String, label: String, prefix: [UInt8]) -> [UInt8]? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.hasPrefix("-----BEGIN \(label)-----") {
            let body = trimmed.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.hasPrefix("-----") }.joined()
            guard let der = Data(base64Encoded: body).map(Array.init), der.count == prefix.count + 32,
                der.starts(with: prefix)
            else { return nil }
            return Array(der.dropFirst(prefix.count))
        }
        guard let raw = Data(base64Encoded: trimmed), raw.count == 32 else { return nil }
        return Array(raw)
    }
}

/// The key rbx signs bundles with (`evidence.signing_key` in rbx.yaml, a secret reference).
public struct EvidenceSigningKey: Sendable {
    /// The 32-byte seed (Crypto's key types are not `Sendable`; they are made where used).
    private let seed: Data
    /// Made from the seed `init(text:)` checked; nil only if that check were wrong, and then the
    /// bundle gets an empty signature that fails verification rather than one by another key.
    private var key: Curve25519.Signing.PrivateKey? { try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) }

    /// - Throws: ``EvidenceError`` (`invalidKey`) when `text` is not an Ed25519 private key;
    ///   the message never includes the text.
    public init(text: String) throws(EvidenceError) {
        guard
            let bytes = EvidenceSignature.keyBytes(
                text, label: "PRIVATE KEY", prefix: EvidenceSignature.privatePrefix),
            (try? Curve25519.Signing.PrivateKey(rawRepresentation: bytes)) != nil
        else {
            throw EvidenceError(
                code: .invalidKey,
                message: "the evidence signing key is not an Ed25519 private key (PKCS #8 PEM from "
                    + "`openssl genpkey -algorithm ed25519`, or 32 bytes in base64)",
                path: "evidence.signing_key")
        }
        seed = Data(bytes)
    }

    /// The signature file's bytes for `manifest`.
    func signatureFile(for manifest: [UInt8]) -> [UInt8] {
        let signature = (try? key?.signature(for: manifest)) ?? Data()
        return Array((signature.base64EncodedString() + "\n").utf8)
    }
}

/// A public key to check bundles against (`rbx evidence verify --key FILE`).
public struct EvidenceVerifyingKey: Sendable {
    private let raw: Data
    private var key: Curve25519.Signing.PublicKey? { try? Curve25519.Signing.PublicKey(rawRepresentation: raw) }

    public init(text: String) throws(EvidenceError) {
        guard
            let bytes = EvidenceSignature.keyBytes(text, label: "PUBLIC KEY", prefix: EvidenceSignature.publicPrefix),
            (try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)) != nil
        else {
            throw EvidenceError(
                code: .invalidKey,
                message: "not an Ed25519 public key (SubjectPublicKeyInfo PEM from `openssl pkey -pubout`, "
                    + "or 32 bytes in base64)",
                path: "--key")
        }
        raw = Data(bytes)
    }

    /// Whether `signatureFile` holds a valid signature of `manifest`.
    func accepts(signatureFile: [UInt8], manifest: [UInt8]) -> Bool {
        let text = String(decoding: signatureFile, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Data(base64Encoded: text), signature.count == 64 else { return false }
        return key?.isValidSignature(signature, for: manifest) ?? false
    }
}

extension EvidenceSigningKey {
    /// The key `evidence.signing_key` refers to, or nil when the catalog sets none.
    ///
    /// - Throws: ``EvidenceError`` (`invalidKey`) when the reference cannot be resolved (the
    ///   message names the variable) or does not hold an Ed25519 private key.
    public static func configured(
        _ reference: String?, environment: [String: String]
    ) throws(EvidenceError) -> EvidenceSigningKey? {
        guard let reference else { return nil }
        var redactor = Redactor()
        let text: String
        do {
            text = try SecretResolver(environment: environment).resolve(reference, redactor: &redactor)
        } catch {
            throw EvidenceError(
                code: .invalidKey, message: "evidence.signing_key: \(error)", path: "evidence.signing_key")
        }
        return try EvidenceSigningKey(text: text)
    }
}
