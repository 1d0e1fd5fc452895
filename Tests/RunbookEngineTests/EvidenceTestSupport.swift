import Foundation
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fresh directory under the system temporary directory, removed when the test is done.
///
/// Every evidence test works on real files: the guarantees are about what is on disk.
final class EvidenceSandbox {
    let root: String

    init() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rbx-evidence-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        root = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The parent of bundles in this sandbox.
    var evidence: String { root + "/evidence" }

    func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes the sample bundle under `evidence/NAME`.
    @discardableResult
    func writeSample(
        name: String = EvidenceSamples.name, files: [EvidenceFile] = EvidenceSamples.files
    ) throws
        -> (path: String, manifestDigest: String)
    {
        try EvidenceWriter(directory: evidence).write(name: name, files: files)
    }

    /// Replaces (or creates) a file's contents in place.
    func put(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func read(_ path: String) throws -> String {
        try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
    }

    /// Names in `directory`, hidden ones included, sorted; empty if it does not exist.
    func listing(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }
}

/// A bundle shaped like a real run's.
enum EvidenceSamples {
    static let name = "2026-11-22T10-15-00Z_instance-down_7f3a"

    static let files: [EvidenceFile] = [
        EvidenceFile(path: "run.json", text: #"{"schema":1,"runbook":"instance-down","outcome":"resolved"}"#),
        EvidenceFile(path: "timeline.md", text: "10:15:00 run started\n10:15:01 containers ok\n"),
        EvidenceFile(path: "alert.json", text: #"{"labels":{"alertname":"InstanceDown"}}"#),
        EvidenceFile(path: "runbook.yaml", text: "apiVersion: rbx/v1\nkind: Runbook\n"),
        EvidenceFile(path: "playbooks/restart-container.yaml", text: "apiVersion: rbx/v1\nkind: Playbook\n"),
        EvidenceFile(path: "steps/01-containers.json", text: #"{"ok":true,"exit_code":0}"#),
        EvidenceFile(path: "steps/01-containers.stdout", text: "CONTAINER ID   NAMES\n7f3a   web\n"),
        EvidenceFile(path: "steps/01-containers.stderr", contents: []),
        EvidenceFile(path: "messages/00-incident-initial.md", text: "We are investigating.\n"),
        EvidenceFile(path: "notifications/00-secondary-oncall.json", text: #"{"to":"secondary-oncall"}"#),
    ]
}

/// Runs a program found on `PATH` in `directory`; returns its exit status and combined output.
func runEvidenceTool(_ arguments: [String], in directory: String) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    process.environment = ["PATH": "/usr/local/bin:/usr/bin:/bin", "LC_ALL": "C"]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// The `EvidenceError` that `body` throws, or `nil` (recording an issue for any other error).
func evidenceError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> EvidenceError? {
    do {
        try body()
        return nil
    } catch let error as EvidenceError {
        return error
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
