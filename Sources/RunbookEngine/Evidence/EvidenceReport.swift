/// What ``EvidenceVerifier`` found when it compared a bundle with its manifest.
///
/// A mismatch is a finding, not an error: an auditor wants every discrepancy listed at once,
/// not the first one thrown. An empty ``problems`` list means every file the manifest names is
/// present with the recorded SHA-256, nothing else is in the bundle, and (when the caller gave
/// one) the manifest is the one the run record points at.
///
/// ```swift
/// let report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: stored)
/// for problem in report.problems { print(problem) }   // "modified: steps/01-containers.stdout"
/// ```
public struct EvidenceReport: Sendable, Equatable {
    /// One way the bundle differs from what was written.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The file's bytes no longer hash to the manifest's digest, or the entry is no longer
        /// a regular file (a symbolic link, directory or FIFO now stands in its place).
        case modified(String)
        /// Something in the bundle that the manifest does not list: a new file, the new name of
        /// a renamed one, or a symbolic link or other non-regular file (never followed).
        case added(String)
        /// A file the manifest lists is gone (deleted, or renamed away).
        case removed(String)
        /// A line of MANIFEST.sha256 that is not exactly what rbx writes. `line` is 1-based;
        /// 0 means the manifest as a whole (not a regular file, or too large to be one).
        case manifestMalformed(line: Int, reason: String)
        /// MANIFEST.sha256's own SHA-256 is not the one the run record kept: the bundle was
        /// rewritten and its manifest recomputed.
        case manifestDigestMismatch(expected: String, actual: String)
        /// A key was given and MANIFEST.sha256.sig is missing, unreadable or not a signature of
        /// the manifest by that key.
        case signatureInvalid(reason: String)

        /// The bundle-relative path the problem is about, if it is about one file.
        public var path: String? {
            switch self {
            case .modified(let path), .added(let path), .removed(let path): path
            case .manifestMalformed, .manifestDigestMismatch, .signatureInvalid: nil
            }
        }

        /// One line for a person: `modified: steps/01-containers.json`.
        public var description: String {
            switch self {
            case .modified(let path): "modified: \(path)"
            case .added(let path): "added: \(path)"
            case .removed(let path): "removed: \(path)"
            case .manifestMalformed(let line, let reason):
                line > 0
                    ? "malformed manifest: line \(line): \(reason)"
                    : "malformed manifest: \(reason)"
            case .manifestDigestMismatch(let expected, let actual):
                "manifest digest mismatch: expected \(expected), found \(actual)"
            case .signatureInvalid(let reason): "signature: \(reason)"
            }
        }
    }

    /// Every problem found: the manifest digest mismatch first, then malformed manifest lines
    /// by line number, then file problems sorted by path byte by byte (as in the manifest).
    /// Empty when the bundle verified.
    public var problems: [Problem]
    /// How many regular files the bundle holds besides MANIFEST.sha256, each hashed.
    public var fileCount: Int

    public init(problems: [Problem], fileCount: Int) {
        self.problems = problems
        self.fileCount = fileCount
    }

    /// True when nothing differs: the bundle is exactly what was written.
    public var isValid: Bool { problems.isEmpty }
}
