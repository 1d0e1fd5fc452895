import Foundation

/// One side of `rbx diff`: a directory as it is, or a git revision of the catalog's
/// repository unpacked (`git archive`) into a temporary directory that is removed afterwards.
public struct CatalogSnapshot: Sendable {
    /// Where the catalog root of this side is on disk.
    public var root: String
    /// How to name this side to a reader: `HEAD~1 (3f2a9c1)`, `work tree`, a directory.
    public var label: String
    /// The temporary directory to remove, for revisions.
    var temporary: String?

    /// - Parameters:
    ///   - spec: a directory, or a git revision (`main`, `HEAD~1`, a commit); nil means the
    ///     catalog directory as it is now (the work tree).
    ///   - catalog: the catalog root in the work tree; for a revision, the same path inside
    ///     the repository is taken.
    /// - Throws: ``DiffError`` naming what git said.
    public static func make(_ spec: String?, catalog: String) throws(DiffError) -> CatalogSnapshot {
        guard let spec else { return CatalogSnapshot(root: catalog, label: "work tree") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory), isDirectory.boolValue {
            return CatalogSnapshot(root: spec, label: spec)
        }
        let top = try git(
            ["rev-parse", "--show-toplevel"], in: catalog, purpose: "find the git repository of \(catalog)")
        let prefix = try git(
            ["rev-parse", "--show-prefix"], in: catalog, purpose: "find \(catalog) inside its repository")
        let commit = try git(
            ["rev-parse", "--verify", "--quiet", spec + "^{commit}"], in: top,
            purpose: "\(spec) is neither a directory nor a git revision")
        let temporary = scratchDirectory + "/rbx-diff-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        } catch {
            throw DiffError(message: "cannot create a temporary directory: \(error.localizedDescription)")
        }
        let archive = temporary + ".tar"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        // Only what a catalog is made of: in a monorepo the rest may be most of the tree.
        let entries = try git(["ls-tree", "--name-only", "\(commit):\(prefix)"], in: top, purpose: "list \(spec)")
        let wanted = entries.split(separator: "\n").map(String.init).filter(catalogEntries.contains)
        guard !wanted.isEmpty else {
            throw DiffError(
                message:
                    "\(spec) has no catalog at \(prefix.isEmpty ? "the repository root" : prefix) (no rbx.yaml, runbooks/ or playbooks/)"
            )
        }
        let arguments = ["archive", "--format=tar", "--output=\(archive)", commit, "--"] + wanted.map { prefix + $0 }
        do {
            _ = try git(arguments, in: top, purpose: "unpack \(spec)")
            _ = try run("/usr/bin/env", ["tar", "-xf", archive, "-C", temporary], in: top, purpose: "unpack \(spec)")
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        return CatalogSnapshot(
            root: temporary + (prefix.isEmpty ? "" : "/" + prefix.dropLast()), label: "\(spec) (\(commit.prefix(7)))",
            temporary: temporary)
    }

    /// The top-level entries of a catalog that `rbx diff` reads.
    static let catalogEntries: Set<String> = [
        "rbx.yaml", "rbx.yml", "runbooks", "playbooks", "templates", "tests", "examples",
    ]

    /// Where revisions are unpacked: `$TMPDIR` when set, else `/dev/shm` when writable (a
    /// catalog is thousands of small files, and creating them on a disk-backed /tmp took most
    /// of a 2,000-runbook diff in bench/review.sh), else the system's temporary directory.
    static var scratchDirectory: String {
        if ProcessInfo.processInfo.environment["TMPDIR"] == nil, access("/dev/shm", W_OK) == 0 { return "/dev/shm" }
        return FileManager.default.temporaryDirectory.path
    }

    /// Removes the unpacked revision, if any.
    public func remove() {
        if let temporary { try? FileManager.default.removeItem(atPath: temporary) }
    }

    private static func git(_ arguments: [String], in directory: String, purpose: String) throws(DiffError) -> String {
        try run("/usr/bin/env", ["git"] + arguments, in: directory, purpose: purpose)
    }

    /// Runs a program (argv, no shell) and returns its trimmed stdout.
    private static func run(
        _ program: String, _ arguments: [String], in directory: String, purpose: String
    ) throws(DiffError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DiffError(
                message:
                    "cannot \(purpose): \(arguments.first ?? program) did not start (\(error.localizedDescription))")
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let said = String(decoding: errorData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DiffError(message: "cannot \(purpose)" + (said.isEmpty ? "" : ": \(said)"))
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct DiffError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
