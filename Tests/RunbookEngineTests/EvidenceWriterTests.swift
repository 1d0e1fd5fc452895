import Foundation
import Testing

@testable import RunbookEngine

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `EvidenceWriter` puts on disk, and what it refuses to.
struct EvidenceWriterTests {
    @Test("a written bundle verifies and its manifest digest is the SHA-256 of MANIFEST.sha256")
    func roundTrip() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample()
        #expect(path == sandbox.evidence + "/" + EvidenceSamples.name)

        let report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest)
        #expect(report.problems == [])
        #expect(report.isValid)
        #expect(report.fileCount == EvidenceSamples.files.count)

        // Cross-checked with an independent implementation.
        let sum = try runEvidenceTool(["sha256sum", "MANIFEST.sha256"], in: path)
        #expect(sum.output == "\(digest)  MANIFEST.sha256\n")
        #expect(try sandbox.read(path + "/steps/01-containers.stdout") == "CONTAINER ID   NAMES\n7f3a   web\n")
        #expect(sandbox.listing(sandbox.evidence) == [EvidenceSamples.name])
    }

    @Test("the manifest lists every file, subdirectories included, sorted byte by byte, in sha256sum's format")
    func manifestFormat() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try EvidenceWriter(directory: sandbox.evidence).write(
            name: "b",
            files: [
                EvidenceFile(path: "steps/01.json", text: "abc"),
                EvidenceFile(path: "a.txt", text: "a"),
                EvidenceFile(path: "B.txt", text: ""),
                EvidenceFile(path: "steps 2/x", text: "a"),
            ]
        )
        let empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        let a = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
        let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(
            try sandbox.read(path + "/MANIFEST.sha256") == """
                \(empty)  B.txt
                \(a)  a.txt
                \(a)  steps 2/x
                \(abc)  steps/01.json

                """
        )
    }

    @Test("sha256sum -c accepts a fresh bundle, paths with spaces and non-ASCII names included")
    func sha256sumChecksBundle() throws {
        let sandbox = try EvidenceSandbox()
        var files = EvidenceSamples.files
        files.append(EvidenceFile(path: "messages/01 status update.md", text: "Still investigating.\n"))
        files.append(EvidenceFile(path: " leading and trailing ", text: "spaces\n"))
        files.append(EvidenceFile(path: "caf\u{E9}.txt", text: "precomposed\n"))
        files.append(EvidenceFile(path: "cafe\u{301}.txt", text: "decomposed\n"))  // a different file on disk
        files.append(EvidenceFile(path: "steps/02-binary.stdout", contents: [0, 255, 10, 13, 92]))
        let (path, _) = try sandbox.writeSample(files: files)

        let result = try runEvidenceTool(["sha256sum", "--strict", "-c", "MANIFEST.sha256"], in: path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.split(separator: "\n").count == files.count)
        #expect(!result.output.contains("FAILED"))
        #expect(try EvidenceVerifier.verify(directory: path).isValid)
    }

    @Test("an empty bundle has an empty manifest and verifies")
    func emptyBundle() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try EvidenceWriter(directory: sandbox.evidence).write(name: "empty", files: [])
        #expect(try sandbox.read(path + "/MANIFEST.sha256") == "")
        #expect(digest == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let report = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest)
        #expect(report == EvidenceReport(problems: [], fileCount: 0))
    }

    @Test("missing parent directories of the evidence directory are created")
    func createsParents() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try EvidenceWriter(directory: sandbox.path("var/lib/rbx/evidence/")).write(
            name: "b", files: [EvidenceFile(path: "x", text: "x")])
        #expect(path == sandbox.path("var/lib/rbx/evidence/b"))
        #expect(try EvidenceVerifier.verify(directory: path).isValid)
    }

    static let invalidPaths: [(String, String)] = [
        ("", "the path is empty"),
        ("/etc/passwd", "the path is absolute; it must be relative to the bundle"),
        ("..", "the path has a \"..\" component"),
        ("steps/../../outside", "the path has a \"..\" component"),
        ("./alert.json", "the path has a \".\" component"),
        ("steps//01.json", "the path has an empty component (\"//\" or a trailing \"/\")"),
        ("steps/", "the path has an empty component (\"//\" or a trailing \"/\")"),
        ("steps\\01.json", "the path contains a backslash, which sha256sum would escape"),
        ("steps/01\n.json", "the path contains a line break, which sha256sum would escape"),
        ("steps/01\r", "the path contains a line break, which sha256sum would escape"),
        ("a\u{0}b", "the path contains a NUL byte"),
        ("tab\there", "the path contains the control character U+0009"),
        ("MANIFEST.sha256", "MANIFEST.sha256 is reserved for the manifest rbx writes"),
    ]

    @Test("invalid paths are refused before anything is written", arguments: invalidPaths)
    func invalidPath(path: String, reason: String) throws {
        let sandbox = try EvidenceSandbox()
        let files = [EvidenceFile(path: "ok.txt", text: "ok"), EvidenceFile(path: path, text: "x")]
        let error = try #require(evidenceError { _ = try sandbox.writeSample(files: files) })
        #expect(error.code == .invalidPath)
        #expect(error.path == path)
        #expect(error.message == "invalid evidence path \(String(reflecting: path)): \(reason)")
        #expect(!sandbox.exists(sandbox.evidence))
    }

    @Test("a nested MANIFEST.sha256 is an ordinary file; only the top-level name is reserved")
    func nestedManifestName() throws {
        let sandbox = try EvidenceSandbox()
        let (path, _) = try sandbox.writeSample(files: [EvidenceFile(path: "copies/MANIFEST.sha256", text: "x")])
        #expect(try EvidenceVerifier.verify(directory: path).isValid)
    }

    static let invalidNames: [(String, String)] = [
        ("", "the name is empty"),
        ("a/b", "the name contains \"/\"; it must be a single directory name"),
        (".hidden", "the name starts with \".\"; hidden names are reserved for unfinished bundles"),
        ("..", "the name starts with \".\"; hidden names are reserved for unfinished bundles"),
        ("run\n1", "the name contains a line break, which sha256sum would escape"),
        (String(repeating: "x", count: 234), "the name is 234 bytes long; at most 233 are allowed"),
    ]

    @Test("invalid bundle names are refused", arguments: invalidNames)
    func invalidName(name: String, reason: String) throws {
        let sandbox = try EvidenceSandbox()
        let error = try #require(evidenceError { _ = try sandbox.writeSample(name: name) })
        #expect(error.code == .invalidName)
        #expect(error.message == "invalid evidence bundle name \(String(reflecting: name)): \(reason)")
        #expect(!sandbox.exists(sandbox.evidence))
    }

    @Test("the longest allowed name works, temporary suffix included")
    func longestName() throws {
        let sandbox = try EvidenceSandbox()
        let name = String(repeating: "x", count: 233)
        let (path, _) = try sandbox.writeSample(name: name)
        #expect(try EvidenceVerifier.verify(directory: path).isValid)
    }

    @Test("the same path twice is refused")
    func duplicatePath() throws {
        let sandbox = try EvidenceSandbox()
        let files = EvidenceSamples.files + [EvidenceFile(path: "alert.json", text: "{}")]
        let error = try #require(evidenceError { _ = try sandbox.writeSample(files: files) })
        #expect(error.code == .duplicatePath)
        #expect(error.description == #"evidence path "alert.json" is given twice"#)
    }

    @Test("a path used both as a file and as a directory is refused")
    func fileDirectoryCollision() throws {
        let sandbox = try EvidenceSandbox()
        let files = EvidenceSamples.files + [EvidenceFile(path: "steps", text: "not a directory")]
        let error = try #require(evidenceError { _ = try sandbox.writeSample(files: files) })
        #expect(error.code == .pathCollision)
        #expect(error.message.hasPrefix(#"evidence path "steps/01-containers.json" needs "steps" to be a directory"#))
        #expect(!sandbox.exists(sandbox.evidence))
    }

    @Test("writing to an existing bundle name fails and leaves the existing bundle as it was")
    func existingBundle() throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample()
        let error = try #require(
            evidenceError {
                _ = try sandbox.writeSample(files: [
                    EvidenceFile(path: "alert.json", text: "{}"), EvidenceFile(path: "new.txt", text: "n"),
                ])
            })
        #expect(error.code == .alreadyExists)
        #expect(error.path == path)
        #expect(error.message == "evidence bundle \"\(path)\" already exists; bundles are never merged or overwritten")
        #expect(!sandbox.exists(path + "/new.txt"))
        #expect(try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest).isValid)
        #expect(sandbox.listing(sandbox.evidence) == [EvidenceSamples.name])
    }

    @Test("writeBeside puts a second bundle of a run beside the first, both whole, and gives up after nine")
    func besideExisting() throws {
        let sandbox = try EvidenceSandbox()
        let (first, firstDigest) = try sandbox.writeSample()
        let writer = EvidenceWriter(directory: sandbox.evidence)
        let takeover = [EvidenceFile(path: "alert.json", text: "{}"), EvidenceFile(path: "new.txt", text: "n")]
        let (second, secondDigest) = try writer.writeBeside(name: EvidenceSamples.name, files: takeover)
        #expect(second == first + "_2")
        #expect(try EvidenceVerifier.verify(directory: first, expectedManifestDigest: firstDigest).isValid)
        #expect(try EvidenceVerifier.verify(directory: second, expectedManifestDigest: secondDigest).isValid)
        #expect(!sandbox.exists(first + "/new.txt"))
        for _ in 3...9 { _ = try writer.writeBeside(name: EvidenceSamples.name, files: takeover) }
        let error = try #require(
            evidenceError { _ = try writer.writeBeside(name: EvidenceSamples.name, files: takeover) })
        #expect(error.code == .alreadyExists)
        #expect(error.path == first + "_9")
        #expect(sandbox.listing(sandbox.evidence).count == 9)
    }

    @Test("an existing empty directory under the final name is not replaced either")
    func existingEmptyDirectory() throws {
        let sandbox = try EvidenceSandbox()
        let target = sandbox.evidence + "/" + EvidenceSamples.name
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
        let error = try #require(evidenceError { _ = try sandbox.writeSample() })
        #expect(error.code == .alreadyExists)
        #expect(sandbox.listing(target) == [])
        #expect(sandbox.listing(sandbox.evidence) == [EvidenceSamples.name])
    }

    @Test("an evidence directory that is a file is reported, not written through")
    func evidenceDirectoryIsAFile() throws {
        let sandbox = try EvidenceSandbox()
        try sandbox.put(sandbox.evidence, "not a directory")
        let error = try #require(evidenceError { _ = try sandbox.writeSample() })
        #expect(error.code == .notADirectory)
        #expect(error.path == sandbox.evidence)
    }
}

/// What a write that goes wrong half-way leaves behind: never a directory under the final name.
struct EvidenceWriterAtomicityTests {
    @Test("an OS error half-way (a name too long for the file system) leaves nothing behind")
    func realFailureMidWrite() throws {
        let sandbox = try EvidenceSandbox()
        // Sorted after the sample files, so several files are already on disk when this one fails.
        let tooLong = "zz/" + String(repeating: "n", count: 300)
        let files = EvidenceSamples.files + [EvidenceFile(path: tooLong, text: "x")]
        let error = try #require(evidenceError { _ = try sandbox.writeSample(files: files) })
        #expect(error.code == .io)
        #expect(error.systemError == ENAMETOOLONG)
        #expect(error.message.hasPrefix("cannot create \"\(sandbox.evidence)/.tmp-\(EvidenceSamples.name)-"))
        #expect(error.message.hasSuffix(": \(String(cString: strerror(ENAMETOOLONG))) (errno \(ENAMETOOLONG))"))
        #expect(!sandbox.exists(sandbox.evidence + "/" + EvidenceSamples.name))
        #expect(sandbox.listing(sandbox.evidence) == [], "the temporary directory is removed too")
    }

    static let failurePoints: [Int] = [1, 5, EvidenceSamples.files.count]

    @Test("an injected failure after some files leaves nothing behind", arguments: failurePoints)
    func injectedFailure(after count: Int) throws {
        let sandbox = try EvidenceSandbox()
        let writer = EvidenceWriter(directory: sandbox.evidence) { stage in
            if case .wroteFiles(count, _) = stage { return .fail }
            return .proceed
        }
        let error = try #require(
            evidenceError { _ = try writer.write(name: EvidenceSamples.name, files: EvidenceSamples.files) })
        #expect(error.code == .io)
        #expect(sandbox.listing(sandbox.evidence) == [])
    }

    @Test("a crash before the rename leaves only a hidden temporary directory, which a retry ignores")
    func crashBeforeRename() throws {
        let sandbox = try EvidenceSandbox()
        for crashAt in [1, EvidenceSamples.files.count, Int.max] {
            let writer = EvidenceWriter(directory: sandbox.evidence) { stage in
                switch stage {
                case .wroteFiles(let count, _) where count == crashAt: .crash
                case .beforeRename where crashAt == Int.max: .crash
                default: .proceed
                }
            }
            _ = evidenceError { _ = try writer.write(name: EvidenceSamples.name, files: EvidenceSamples.files) }
            #expect(!sandbox.exists(sandbox.evidence + "/" + EvidenceSamples.name))
        }
        let leftovers = sandbox.listing(sandbox.evidence)
        #expect(leftovers.count == 3)
        #expect(leftovers.allSatisfy { $0.hasPrefix(".tmp-\(EvidenceSamples.name)-") })

        // The next run of the same name is not blocked by a crashed one.
        let (path, digest) = try sandbox.writeSample()
        #expect(try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest).isValid)
        #expect(sandbox.listing(sandbox.evidence).filter { !$0.hasPrefix(".") } == [EvidenceSamples.name])
    }

    @Test(
        "a directory appearing under the final name just before the rename is neither replaced nor merged into",
        arguments: [false, true])
    func targetAppearsBeforeRename(nonEmpty: Bool) throws {
        let sandbox = try EvidenceSandbox()
        let writer = EvidenceWriter(directory: sandbox.evidence) { stage in
            if case .beforeRename(_, let finalPath) = stage {
                try? FileManager.default.createDirectory(atPath: finalPath, withIntermediateDirectories: false)
                if nonEmpty {
                    _ = FileManager.default.createFile(atPath: finalPath + "/other", contents: Data("o".utf8))
                }
            }
            return .proceed
        }
        let error = try #require(
            evidenceError { _ = try writer.write(name: EvidenceSamples.name, files: EvidenceSamples.files) })
        #expect(error.code == .alreadyExists)
        let target = sandbox.evidence + "/" + EvidenceSamples.name
        #expect(sandbox.listing(target) == (nonEmpty ? ["other"] : []))
        #expect(sandbox.listing(sandbox.evidence) == [EvidenceSamples.name], "the temporary directory is removed")
    }
}
