#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks an evidence bundle against its MANIFEST.sha256, and the manifest against the digest
/// kept in the run record.
///
/// The manifest alone catches files edited, added, removed or renamed after the run. It cannot
/// catch someone who rewrites files *and* recomputes the manifest; that is what the manifest's
/// own digest, stored separately by ``EvidenceWriter/write(name:files:)``'s caller, is for.
///
/// The check walks the whole directory rather than only the files the manifest names, so an
/// extra file is found too. It never follows a symbolic link inside the bundle: a link is
/// reported (as `added`, or `modified` where the manifest expects a file), not read, so a
/// bundle cannot make the verifier hash `/dev/zero` or vouch for a file outside itself. Files
/// are hashed in 64 KiB chunks, so memory does not grow with their size.
///
/// ```swift
/// let report = try EvidenceVerifier.verify(directory: "evidence/2026-11-22T10-15-00Z_instance-down_7f3a",
///                                          expectedManifestDigest: run.manifestDigest)
/// if !report.isValid { report.problems.forEach { print($0) } }
/// ```
public enum EvidenceVerifier {
    /// MANIFEST.sha256 files larger than this are not read: no real bundle's manifest
    /// comes close (a line per file), and a huge one would only exhaust memory.
    static let maximumManifestSize = 64 * 1024 * 1024

    /// Verifies the bundle at `directory`.
    ///
    /// - Parameters:
    ///   - directory: the bundle directory (the one holding MANIFEST.sha256). It may itself be
    ///     reached through a symbolic link; nothing inside it is followed.
    ///   - expectedManifestDigest: the manifest digest from the run record (64 hex digits, any
    ///     case); when given, a manifest whose bytes hash differently is reported as
    ///     ``EvidenceReport/Problem/manifestDigestMismatch(expected:actual:)``.
    /// - Returns: every difference found; ``EvidenceReport/isValid`` when there is none.
    ///   A missing MANIFEST.sha256 is reported as `removed`, and then every file as `added`.
    /// - Throws: ``EvidenceError`` with ``EvidenceError/Code/notFound`` or
    ///   ``EvidenceError/Code/notADirectory`` for a bad `directory`,
    ///   ``EvidenceError/Code/invalidDigest`` for a malformed `expectedManifestDigest`, and
    ///   ``EvidenceError/Code/io`` when a file cannot be read.
    ///   - verifyingKey: the public key the manifest must be signed with; when given, a missing
    ///     or wrong MANIFEST.sha256.sig is reported as ``EvidenceReport/Problem/signatureInvalid(reason:)``.
    public static func verify(
        directory: String, expectedManifestDigest: String? = nil, verifyingKey: EvidenceVerifyingKey? = nil
    ) throws(EvidenceError) -> EvidenceReport {
        let expected = try expectedManifestDigest.map { digest throws(EvidenceError) in
            guard EvidenceDigest.isHexDigest(digest.utf8) else {
                throw EvidenceError(
                    code: .invalidDigest,
                    message: "expected manifest digest \(String(reflecting: digest)) is not 64 hexadecimal digits",
                    path: directory
                )
            }
            return digest.lowercased()
        }
        let root = try openBundle(directory)
        defer { EvidenceSystemCalls.closeQuietly(root) }
        let found = try scan(root, displayPath: directory)

        var problems: [EvidenceReport.Problem] = []
        var entries: [EvidenceManifest.Entry] = []
        switch found.manifest {
        case .missing:
            problems.append(.removed(EvidencePath.manifestName))
        case .notRegular(let kind):
            problems.append(.modified(EvidencePath.manifestName))
            problems.append(
                .manifestMalformed(
                    line: 0, reason: "\(EvidencePath.manifestName) is \(kind.phrase), not a regular file"))
        case .tooLarge(let size):
            problems.append(
                .manifestMalformed(
                    line: 0, reason: "\(EvidencePath.manifestName) is over \(size) bytes; rbx does not read it"))
        case .present(let bytes):
            if let verifyingKey {
                switch found.signature {
                case nil:
                    problems.append(.signatureInvalid(reason: "\(EvidenceSignature.fileName) is missing"))
                case let signature?:
                    if !verifyingKey.accepts(signatureFile: signature, manifest: bytes) {
                        problems.append(
                            .signatureInvalid(reason: "MANIFEST.sha256 is not signed by this key (or was changed)"))
                    }
                }
            }
            let parsed = EvidenceManifest.parse(bytes)
            entries = parsed.entries
            problems += parsed.problems
            let actual = EvidenceDigest.hex(of: bytes)
            if let expected, expected != actual {
                problems.append(.manifestDigestMismatch(expected: expected, actual: actual))
            }
        }

        var unvouched = found.entries
        for entry in entries {
            let name = String(decoding: entry.path, as: UTF8.self)
            switch unvouched.removeValue(forKey: entry.path) {
            case nil: problems.append(.removed(name))
            case .file(let digest)?: if digest != entry.digest { problems.append(.modified(name)) }
            case .other?: problems.append(.modified(name))
            }
        }
        for path in unvouched.keys {
            problems.append(.added(String(decoding: path, as: UTF8.self)))
        }
        return EvidenceReport(problems: sorted(problems), fileCount: found.fileCount)
    }

    private static func openBundle(_ directory: String) throws(EvidenceError) -> Int32 {
        do {
            return try EvidenceSystemCalls.openDirectory(directory)
        } catch  where error.systemError == ENOENT {
            throw EvidenceError(
                code: .notFound, message: "evidence bundle \"\(directory)\" does not exist", path: directory,
                systemError: ENOENT)
        } catch  where error.systemError == ENOTDIR {
            throw EvidenceError(
                code: .notADirectory, message: "\"\(directory)\" is not a directory", path: directory,
                systemError: ENOTDIR)
        }
    }

    // MARK: Scanning

    private enum Found {
        /// A regular file and its SHA-256.
        case file(String)
        /// A symbolic link, FIFO, socket or device: listed, never opened.
        case other
    }

    private enum ManifestState {
        case missing
        case notRegular(EvidenceSystemCalls.Kind)
        case tooLarge(Int)
        case present([UInt8])
    }

    private struct Scan {
        var entries: [[UInt8]: Found] = [:]
        var manifest: ManifestState = .missing
        /// MANIFEST.sha256.sig's bytes, when it is a regular file of a plausible size.
        var signature: [UInt8]?
        var fileCount = 0
    }

    /// Walks the bundle, hashing every regular file and reading the manifest.
    private static func scan(_ root: Int32, displayPath: String) throws(EvidenceError) -> Scan {
        var scan = Scan()
        let manifestName = Array(EvidencePath.manifestName.utf8)
        let signatureName = Array(EvidenceSignature.fileName.utf8)
        try EvidenceDirectoryTree.walk(rootFD: root, displayPath: displayPath) { entry throws(EvidenceError) in
            let shown = EvidenceDirectoryTree.display(displayPath, entry.path)
            if entry.path == manifestName {
                scan.manifest = try readManifest(entry, displayPath: shown)
                return
            }
            if entry.path == signatureName {
                if case .present(let bytes) = try readManifest(entry, displayPath: shown),
                    bytes.count <= EvidenceSignature.maximumSize
                {
                    scan.signature = bytes
                }
                return
            }
            switch entry.kind {
            case .directory:
                return  // its files are visited next; an empty directory is no evidence
            case .symbolicLink, .other:
                scan.entries[entry.path] = .other
            case .regular:
                let fd = try EvidenceDirectoryTree.openChildFile(entry.parentFD, entry.name, displayPath: shown)
                defer { EvidenceSystemCalls.closeQuietly(fd) }
                // Swapped for something else since it was listed: not a file we can vouch for.
                guard try EvidenceDirectoryTree.kind(ofOpen: fd, displayPath: shown) == .regular else {
                    scan.entries[entry.path] = .other
                    return
                }
                scan.entries[entry.path] = .file(try EvidenceDigest.hex(ofFile: fd, displayPath: shown))
                scan.fileCount += 1
            }
        }
        return scan
    }

    private static func readManifest(
        _ entry: EvidenceDirectoryTree.Entry, displayPath: String
    ) throws(EvidenceError) -> ManifestState {
        guard entry.kind == .regular else { return .notRegular(entry.kind) }
        let fd = try EvidenceDirectoryTree.openChildFile(entry.parentFD, entry.name, displayPath: displayPath)
        defer { EvidenceSystemCalls.closeQuietly(fd) }
        let kind = try EvidenceDirectoryTree.kind(ofOpen: fd, displayPath: displayPath)
        guard kind == .regular else { return .notRegular(kind) }
        var bytes: [UInt8] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: EvidenceDigest.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = try EvidenceSystemCalls.read(fd, into: buffer, path: displayPath)
            if count == 0 { return .present(bytes) }
            if bytes.count + count > maximumManifestSize { return .tooLarge(maximumManifestSize) }
            bytes += buffer[..<count]
        }
    }

    /// Digest mismatch first, then malformed lines by number, then file problems by path bytes.
    private static func sorted(_ problems: [EvidenceReport.Problem]) -> [EvidenceReport.Problem] {
        func rank(_ problem: EvidenceReport.Problem) -> (Int, Int, [UInt8]) {
            switch problem {
            case .manifestDigestMismatch, .signatureInvalid: (0, 0, [])
            case .manifestMalformed(let line, _): (1, line, [])
            case .modified(let path), .added(let path), .removed(let path): (2, 0, Array(path.utf8))
            }
        }
        return problems.sorted { a, b in
            let (ra, rb) = (rank(a), rank(b))
            if ra.0 != rb.0 { return ra.0 < rb.0 }
            if ra.1 != rb.1 { return ra.1 < rb.1 }
            return EvidencePath.precedes(ra.2, rb.2)
        }
    }
}
