import Foundation
import RunbookEngine
import RunbookTesting
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `EvidenceVerifier` catches in a bundle changed after it was written.
struct EvidenceVerifierTests {
    @Test("edited content is reported as modified, naming the file")
    func modifiedContent() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample()
        try sandbox.put(path + "/steps/01-containers.stdout", "CONTAINER ID   NAMES\n7f3b   web\n")  // same size
        let report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest)
        #expect(report.problems == [.modified("steps/01-containers.stdout")])
        #expect(!report.isValid)
        #expect(report.fileCount == EvidenceSamples.files.count)
        #expect(report.problems.map(\.description) == ["modified: steps/01-containers.stdout"])
    }

    @Test("a file the manifest does not list is reported as added, hidden or nested ones too")
    func addedFile() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        try sandbox.put(path + "/steps/02-extra.stdout", "planted\n")
        try sandbox.put(path + "/.hidden", "planted\n")
        let report = try EvidenceVerifier.verify(directory: path)
        #expect(report.problems == [.added(".hidden"), .added("steps/02-extra.stdout")])
        #expect(report.fileCount == EvidenceSamples.files.count + 2)
    }

    @Test("a listed file that is gone is reported as removed")
    func removedFile() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        try FileManager.default.removeItem(atPath: path + "/timeline.md")
        #expect(try EvidenceVerifier.verify(directory: path).problems == [.removed("timeline.md")])
    }

    @Test("a renamed file is one removed and one added")
    func renamedFile() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        try FileManager.default.moveItem(
            atPath: path + "/steps/01-containers.stderr", toPath: path + "/steps/01-containers.err")
        #expect(
            try EvidenceVerifier.verify(directory: path).problems
                == [.added("steps/01-containers.err"), .removed("steps/01-containers.stderr")]
        )
    }

    @Test("an empty directory added to a bundle holds no evidence and is not a problem")
    func emptyDirectory() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        try FileManager.default.createDirectory(atPath: path + "/empty", withIntermediateDirectories: false)
        #expect(try EvidenceVerifier.verify(directory: path).isValid)
    }

    @Test("names that differ only in Unicode normalization are different files")
    func normalizationVariants() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample(files: [EvidenceFile(path: "caf\u{E9}.txt", text: "x")])
        try sandbox.put(path + "/cafe\u{301}.txt", "x")  // equal as Swift Strings, distinct on disk
        let problems = try EvidenceVerifier.verify(directory: path).problems
        #expect(problems.count == 1)
        let added = try #require(problems.first?.path)
        #expect(Array(added.utf8) == Array("cafe\u{301}.txt".utf8))
    }

    @Test("a bundle rewritten with a recomputed manifest passes the manifest but not the stored digest")
    func recomputedManifest() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample()
        try sandbox.put(path + "/timeline.md", "10:15:00 run started\n10:15:01 nothing to see here\n")
        // Recomputed the way a forger would: with the standard tool, in the same format.
        let names = EvidenceSamples.files.map(\.path).sorted {
            Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8))
        }
        let forged = try runEvidenceTool(["sha256sum", "--"] + names, in: path)
        #expect(forged.status == 0)
        try sandbox.put(path + "/MANIFEST.sha256", forged.output)

        #expect(try EvidenceVerifier.verify(directory: path).isValid, "the manifest alone cannot catch this")
        let actual = try #require(
            try runEvidenceTool(["sha256sum", "MANIFEST.sha256"], in: path).output.split(separator: " ").first)
        let report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest)
        #expect(report.problems == [.manifestDigestMismatch(expected: digest, actual: String(actual))])
    }

    @Test("the expected digest may be given in upper case; anything but 64 hex digits is refused")
    func expectedDigestSpelling() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample()
        #expect(try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest.uppercased()).isValid)
        for bad in ["", "abc", String(digest.dropLast()) + "g", digest + "0"] {
            let error = try #require(
                evidenceError { _ = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: bad) })
            #expect(error.code == .invalidDigest)
        }
    }

    @Test("a symbolic link in place of a listed file is modified, even if it points at identical bytes")
    func symlinkReplacingFile() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        let copy = sandbox.path("outside-alert.json")
        try FileManager.default.copyItem(atPath: path + "/alert.json", toPath: copy)
        try FileManager.default.removeItem(atPath: path + "/alert.json")
        try FileManager.default.createSymbolicLink(atPath: path + "/alert.json", withDestinationPath: copy)
        let report = try EvidenceVerifier.verify(directory: path)
        #expect(report.problems == [.modified("alert.json")])
        #expect(report.fileCount == EvidenceSamples.files.count - 1)
    }

    @Test("a symbolic link to a directory is not followed: its target's files are not vouched for")
    func symlinkedDirectory() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        let elsewhere = sandbox.path("elsewhere")
        try FileManager.default.moveItem(atPath: path + "/playbooks", toPath: elsewhere)
        try FileManager.default.createSymbolicLink(atPath: path + "/playbooks", withDestinationPath: elsewhere)
        #expect(
            try EvidenceVerifier.verify(directory: path).problems
                == [.added("playbooks"), .removed("playbooks/restart-container.yaml")]
        )
    }

    @Test("a FIFO in the bundle is reported as added and never opened")
    func fifo() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample()
        #expect(mkfifo(path + "/pipe", 0o644) == 0)
        #expect(try EvidenceVerifier.verify(directory: path).problems == [.added("pipe")])
    }

    @Test("a missing manifest is reported as removed, and then nothing is vouched for")
    func missingManifest() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample(files: [
            EvidenceFile(path: "a", text: "a"), EvidenceFile(path: "Z", text: "z"),
        ])
        try FileManager.default.removeItem(atPath: path + "/MANIFEST.sha256")
        #expect(
            try EvidenceVerifier.verify(directory: path).problems
                == [.removed("MANIFEST.sha256"), .added("Z"), .added("a")]
        )
    }

    @Test("a manifest replaced by a symbolic link is not followed")
    func manifestSymlink() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample(files: [EvidenceFile(path: "a", text: "a")])
        try FileManager.default.moveItem(atPath: path + "/MANIFEST.sha256", toPath: sandbox.path("m"))
        try FileManager.default.createSymbolicLink(
            atPath: path + "/MANIFEST.sha256", withDestinationPath: sandbox.path("m"))
        #expect(
            try EvidenceVerifier.verify(directory: path).problems == [
                .manifestMalformed(line: 0, reason: "MANIFEST.sha256 is a symbolic link, not a regular file"),
                .modified("MANIFEST.sha256"), .added("a"),
            ]
        )
    }

    @Test("large files are hashed in chunks and still checked to the last byte")
    func largeFile() throws {
        let sandbox = try EvidenceSandbox()
        var generator = SplitMix64(seed: 42)
        let big = (0..<(3 * 1024 * 1024 + 17)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let (path, _) = try sandbox.writeSample(files: [EvidenceFile(path: "steps/01-dump.stdout", contents: big)])
        #expect(try runEvidenceTool(["sha256sum", "--strict", "-c", "MANIFEST.sha256"], in: path).status == 0)
        #expect(try EvidenceVerifier.verify(directory: path).isValid)

        let handle = try #require(FileHandle(forUpdatingAtPath: path + "/steps/01-dump.stdout"))
        try handle.seek(toOffset: UInt64(big.count - 1))
        try handle.write(contentsOf: [big[big.count - 1] ^ 1])
        try handle.close()
        #expect(try EvidenceVerifier.verify(directory: path).problems == [.modified("steps/01-dump.stdout")])
    }

    @Test("a directory that does not exist, or is a file, is an error rather than a report")
    func badDirectory() throws {
        let sandbox = try EvidenceSandbox()
        let missing = try #require(evidenceError { _ = try EvidenceVerifier.verify(directory: sandbox.path("nope")) })
        #expect(missing.code == .notFound)
        #expect(missing.description == "evidence bundle \"\(sandbox.path("nope"))\" does not exist")
        try sandbox.put(sandbox.path("file"), "x")
        let file = try #require(evidenceError { _ = try EvidenceVerifier.verify(directory: sandbox.path("file")) })
        #expect(file.code == .notADirectory)
    }
}
