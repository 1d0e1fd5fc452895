import RunbookEngine
import Testing

/// MANIFEST.sha256 edited by hand: each edit is reported with the line it is on.
struct EvidenceManifestTests {
    static let a = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
    static let b = "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"
    static let c = "2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6"

    /// One hand edit of the manifest of a bundle holding `a.txt`, `b.txt`, `c.txt` ("a", "b", "c").
    struct Edit: Sendable, CustomTestStringConvertible {
        var name: String
        /// Gets the manifest's lines (without newlines), returns the new manifest text.
        var apply: @Sendable ([String]) -> String
        var expected: [EvidenceReport.Problem]
        var testDescription: String { name }
    }

    static let shapeReason = "expected 64 lowercase hexadecimal digits, two spaces and a path"

    static func joined(_ lines: [String]) -> String { lines.map { $0 + "\n" }.joined() }

    static let edits: [Edit] = [
        Edit(
            name: "sha256sum's binary marker",
            apply: { lines in
                var lines = lines
                lines[1] = b + " *b.txt"
                return joined(lines)
            }, expected: [.manifestMalformed(line: 2, reason: shapeReason), .added("b.txt")]),
        Edit(
            name: "upper-case digest",
            apply: { lines in
                var lines = lines
                lines[0] = a.uppercased() + "  a.txt"
                return joined(lines)
            },
            expected: [
                .manifestMalformed(
                    line: 1, reason: "the digest has upper-case hexadecimal digits; rbx writes lower case"),
                .added("a.txt"),
            ]),
        Edit(
            name: "digest one digit short",
            apply: { lines in
                var lines = lines
                lines[2] = String(lines[2].dropFirst())
                return joined(lines)
            }, expected: [.manifestMalformed(line: 3, reason: shapeReason), .added("c.txt")]),
        Edit(
            name: "non-hexadecimal digest",
            apply: { lines in
                var lines = lines
                lines[0] = "g" + lines[0].dropFirst()
                return joined(lines)
            },
            expected: [.manifestMalformed(line: 1, reason: "the digest is not 64 hexadecimal digits"), .added("a.txt")]),
        Edit(
            name: "blank line at the end",
            apply: { lines in
                joined(lines) + "\n"
            }, expected: [.manifestMalformed(line: 4, reason: "the line is empty")]),
        Edit(
            name: "no newline after the last line",
            apply: { lines in
                lines.joined(separator: "\n")
            },
            expected: [
                .manifestMalformed(line: 3, reason: "the last line does not end with a newline"), .added("c.txt"),
            ]),
        Edit(
            name: "duplicate line",
            apply: { lines in
                joined(lines + [lines[0]])
            }, expected: [.manifestMalformed(line: 4, reason: #"duplicate entry for "a.txt"; the first is on line 1"#)]),
        Edit(
            name: "lines out of order",
            apply: { lines in
                joined([lines[1], lines[0], lines[2]])
            },
            expected: [
                .manifestMalformed(
                    line: 2, reason: #""a.txt" is out of order: entries are sorted by path, byte by byte"#)
            ]),
        Edit(
            name: "a path outside the bundle",
            apply: { lines in
                joined(lines + [a + "  ../../etc/passwd"])
            },
            expected: [
                .manifestMalformed(line: 4, reason: #"invalid path "../../etc/passwd": the path has a ".." component"#)
            ]),
        Edit(
            name: "CRLF line endings",
            apply: { lines in
                lines.map { $0 + "\r\n" }.joined()
            },
            expected: [1, 2, 3].map { line in
                .manifestMalformed(
                    line: line,
                    reason:
                        #"invalid path "\#(["a", "b", "c"][line - 1]).txt\r": the path contains a line break, which sha256sum would escape"#
                )
            } + [.added("a.txt"), .added("b.txt"), .added("c.txt")]),
        Edit(
            name: "another file's digest",
            apply: { lines in
                var lines = lines
                lines[0] = b + "  a.txt"
                return joined(lines)
            }, expected: [.modified("a.txt")]),
        Edit(
            name: "a line deleted",
            apply: { lines in
                joined([lines[0], lines[2]])
            }, expected: [.added("b.txt")]),
        Edit(
            name: "a line for a file that is not there",
            apply: { lines in
                joined(lines + [c + "  d.txt"])
            }, expected: [.removed("d.txt")]),
    ]

    @Test("a hand-edited manifest is reported line by line", arguments: edits)
    func handEdit(_ edit: Edit) throws {
        let sandbox = try EvidenceSandbox()
        let (path, digest) = try sandbox.writeSample(files: [
            EvidenceFile(path: "c.txt", text: "c"), EvidenceFile(path: "a.txt", text: "a"),
            EvidenceFile(path: "b.txt", text: "b"),
        ])
        let manifest = try sandbox.read(path + "/MANIFEST.sha256")
        #expect(manifest == Self.joined(["\(Self.a)  a.txt", "\(Self.b)  b.txt", "\(Self.c)  c.txt"]))

        try sandbox.put(path + "/MANIFEST.sha256", edit.apply(manifest.split(separator: "\n").map(String.init)))
        let report = try EvidenceVerifier.verify(directory: path)
        #expect(report.problems == edit.expected)
        #expect(report.fileCount == 3)

        // With the stored digest the edit is caught whatever it was, and listed first.
        let checked = try EvidenceVerifier.verify(directory: path, expectedManifestDigest: digest)
        guard case .manifestDigestMismatch(let expected, _)? = checked.problems.first else {
            Issue.record("expected a digest mismatch first, got \(checked.problems)")
            return
        }
        #expect(expected == digest)
        #expect(Array(checked.problems.dropFirst()) == edit.expected)
    }

    @Test("problems print as one line each")
    func problemDescriptions() {
        let problems: [EvidenceReport.Problem] = [
            .manifestDigestMismatch(expected: Self.a, actual: Self.b),
            .manifestMalformed(line: 3, reason: "the line is empty"),
            .manifestMalformed(line: 0, reason: "MANIFEST.sha256 is a directory, not a regular file"),
            .modified("x"), .added("y"), .removed("z"),
        ]
        #expect(
            problems.map(\.description) == [
                "manifest digest mismatch: expected \(Self.a), found \(Self.b)",
                "malformed manifest: line 3: the line is empty",
                "malformed manifest: MANIFEST.sha256 is a directory, not a regular file",
                "modified: x", "added: y", "removed: z",
            ])
        #expect(problems.map(\.path) == [nil, nil, nil, "x", "y", "z"])
    }
}
