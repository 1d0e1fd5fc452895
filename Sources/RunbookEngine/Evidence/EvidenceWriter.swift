#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes evidence bundles: all of a bundle appears under its final name, or none of it does.
///
/// An evidence bundle is only worth something if it is complete and untouched. A bundle cut
/// short by a crash, or two runs' files merged under one name, would look like evidence and
/// mislead an auditor. So the writer builds the whole bundle in a hidden temporary directory
/// beside the final one, syncs every file and directory to disk, and only then renames the
/// temporary directory to its final name in one `rename(2)`, which never replaces an existing
/// bundle. A crash before the rename leaves only a dot-prefixed `.tmp-…` directory, which
/// tools listing bundles skip; a crash after it leaves a complete bundle.
///
/// ```swift
/// let writer = EvidenceWriter(directory: "evidence")
/// let (path, manifestDigest) = try writer.write(
///     name: "2026-11-22T10-15-00Z_instance-down_7f3a",
///     files: [EvidenceFile(path: "alert.json", contents: alertBytes)]
/// )
/// // store manifestDigest in the run record: `rbx evidence verify --against-store` checks it
/// ```
public struct EvidenceWriter: Sendable {
    /// The directory that holds bundles (`evidence`); created, with its parents, if missing.
    public var directory: String

    /// Signs MANIFEST.sha256 into ``EvidenceSignature/fileName`` when set.
    public var signingKey: EvidenceSigningKey?

    /// Test-only interference at each stage of a write; `nil` in real use.
    var faultHook: FaultHook?

    /// - Parameters:
    ///   - directory: the parent directory of bundles, e.g. `"evidence"`.
    ///   - signingKey: the key that signs each bundle's manifest, if any.
    public init(directory: String, signingKey: EvidenceSigningKey? = nil) {
        self.directory = directory
        self.signingKey = signingKey
        self.faultHook = nil
    }

    /// Writes every file plus MANIFEST.sha256 atomically.
    ///
    /// The files go into a temporary sibling directory (`.tmp-NAME-RANDOM` inside
    /// ``directory``); each file and each directory is synced with `fsync`; the manifest is
    /// written last; then the temporary directory is renamed to `NAME` and the parent is synced.
    /// On any failure the temporary directory is removed. A crash at any point never leaves an
    /// incomplete directory under the final name: at worst a hidden `.tmp-` directory remains.
    ///
    /// - Parameters:
    ///   - name: the bundle's directory name, e.g. `2026-11-22T10-15-00Z_instance-down_7f3a`:
    ///     one visible directory name, at most 233 bytes.
    ///   - files: the bundle's files; paths are checked as ``EvidenceFile`` describes.
    /// - Returns: the final path (``directory``/`name`) and the SHA-256 (lowercase hex) of the
    ///   MANIFEST.sha256 bytes, which the caller keeps in its run record so that a rewritten
    ///   bundle with a recomputed manifest is still caught.
    /// - Throws: ``EvidenceError`` with code ``EvidenceError/Code/invalidName``,
    ///   ``EvidenceError/Code/invalidPath``, ``EvidenceError/Code/duplicatePath`` or
    ///   ``EvidenceError/Code/pathCollision`` before anything is written;
    ///   ``EvidenceError/Code/alreadyExists`` if `name` is taken (bundles are never merged or
    ///   overwritten); ``EvidenceError/Code/io`` when the operating system refuses. If only
    ///   the final `fsync` of ``directory`` fails, the bundle is already complete under its
    ///   name but its durability is not confirmed; the error says so by naming ``directory``.
    public func write(
        name: String, files: [EvidenceFile]
    ) throws(EvidenceError) -> (
        path: String, manifestDigest: String
    ) {
        let ordered = try Self.validated(name: name, files: files)
        if directory.isEmpty {
            throw EvidenceError(code: .invalidPath, message: "the evidence directory is empty", path: directory)
        }
        try EvidenceSystemCalls.makeDirectories(directory)

        let finalPath = Self.join(directory, name)
        if try EvidenceSystemCalls.kind(of: finalPath, followLink: false) != nil {
            throw Self.alreadyExists(finalPath)
        }
        let temporaryPath = try makeTemporaryDirectory(for: name)

        var cleanUp = true
        do throws(EvidenceError) {
            let manifest = try fill(temporaryPath, with: ordered, cleanUp: &cleanUp)
            try checkpoint(.beforeRename(temporaryPath: temporaryPath, finalPath: finalPath), cleanUp: &cleanUp)
            let code = EvidenceSystemCalls.renameExclusive(temporaryPath, to: finalPath)
            if code == EEXIST || code == ENOTEMPTY {
                throw Self.alreadyExists(finalPath)
            }
            if code != 0 { throw .system("rename \"\(temporaryPath)\" to", path: finalPath, errno: code) }
            cleanUp = false  // the directory is the bundle now
            try EvidenceSystemCalls.syncDirectory(directory)
            return (finalPath, EvidenceDigest.hex(of: manifest))
        } catch {
            if cleanUp { EvidenceDirectoryTree.removeTree(temporaryPath) }
            throw error
        }
    }

    /// Writes and syncs every file, then the manifest, then every directory; returns the
    /// manifest bytes.
    private func fill(
        _ root: String, with files: [(path: [UInt8], file: EvidenceFile)], cleanUp: inout Bool
    ) throws(EvidenceError) -> [UInt8] {
        var directories: [[UInt8]] = []
        var created: Set<[UInt8]> = []
        var lines: [(path: [UInt8], digest: String)] = []
        for (index, entry) in files.enumerated() {
            // Create missing parent directories, outermost first.
            let components = entry.path.split(separator: UInt8(ascii: "/"))
            var prefix: [UInt8] = []
            for component in components.dropLast() {
                prefix += prefix.isEmpty ? Array(component) : [UInt8(ascii: "/")] + component
                if created.insert(prefix).inserted {
                    _ = try EvidenceSystemCalls.makeDirectory(EvidenceDirectoryTree.display(root, prefix))
                    directories.append(prefix)
                }
            }
            try Self.writeFile(EvidenceDirectoryTree.display(root, entry.path), entry.file.contents)
            lines.append((entry.path, EvidenceDigest.hex(of: entry.file.contents)))
            try checkpoint(.wroteFiles(count: index + 1, temporaryPath: root), cleanUp: &cleanUp)
        }
        let manifest = EvidenceManifest.render(lines)
        try Self.writeFile(Self.join(root, EvidencePath.manifestName), manifest)
        if let signingKey {
            try Self.writeFile(Self.join(root, EvidenceSignature.fileName), signingKey.signatureFile(for: manifest))
        }
        // Deepest first, so each directory's entry in its parent is synced after its own contents.
        for directory in directories.reversed() {
            try EvidenceSystemCalls.syncDirectory(EvidenceDirectoryTree.display(root, directory))
        }
        try EvidenceSystemCalls.syncDirectory(root)
        return manifest
    }

    private static func writeFile(_ path: String, _ contents: [UInt8]) throws(EvidenceError) {
        let fd = try EvidenceSystemCalls.createFile(path)
        do {
            try EvidenceSystemCalls.writeAll(fd, contents, path: path)
            try EvidenceSystemCalls.sync(fd, path: path)
        } catch {
            EvidenceSystemCalls.closeQuietly(fd)
            throw error
        }
        try EvidenceSystemCalls.close(fd, path: path)
    }

    /// Creates `.tmp-NAME-XXXXXXXXXXXXXXXX` in ``directory`` with a fresh random suffix.
    private func makeTemporaryDirectory(for name: String) throws(EvidenceError) -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            let suffix = String(generator.next() as UInt64, radix: 16)
            let padded = String(repeating: "0", count: 16 - suffix.count) + suffix
            let path = Self.join(directory, ".tmp-\(name)-\(padded)")
            if try EvidenceSystemCalls.makeDirectory(path, mode: 0o755) { return path }
        }
        throw .system("create a temporary directory in", path: directory, errno: EEXIST)
    }

    /// Consults the test hook; a `.fail` throws (with clean-up), a `.crash` throws without it.
    private func checkpoint(_ stage: Stage, cleanUp: inout Bool) throws(EvidenceError) {
        guard let faultHook else { return }
        switch faultHook(stage) {
        case .proceed:
            return
        case .fail:
            throw EvidenceError(code: .io, message: "injected failure at \(stage)", path: directory, systemError: nil)
        case .crash:
            cleanUp = false
            throw EvidenceError(code: .io, message: "injected crash at \(stage)", path: directory, systemError: nil)
        }
    }

    private static func alreadyExists(_ path: String) -> EvidenceError {
        EvidenceError(
            code: .alreadyExists,
            message: "evidence bundle \"\(path)\" already exists; bundles are never merged or overwritten",
            path: path,
            systemError: EEXIST
        )
    }

    static func join(_ parent: String, _ name: String) -> String {
        parent.hasSuffix("/") ? parent + name : parent + "/" + name
    }
}
