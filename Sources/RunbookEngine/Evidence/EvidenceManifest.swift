/// MANIFEST.sha256: rendering and strict parsing.
///
/// The format is exactly what `sha256sum` prints, so an auditor without rbx can run
/// `cd BUNDLE && sha256sum -c MANIFEST.sha256`: one line per file,
/// `<64 lowercase hex digits><two spaces><path>\n`, sorted by path byte by byte, every file
/// but the manifest itself. rbx writes one canonical form and parses only that form: any other
/// spelling (upper-case digits, `*` binary marker, CRLF, blank lines, wrong order) was not
/// written by rbx, so it is reported as a hand edit.
enum EvidenceManifest {
    /// One file the manifest vouches for.
    struct Entry {
        var path: [UInt8]
        var digest: String
        /// 1-based line number, for messages.
        var line: Int
    }

    /// The manifest bytes for `entries` (path, hex digest), sorted by path bytes.
    static func render(_ entries: [(path: [UInt8], digest: String)]) -> [UInt8] {
        var out: [UInt8] = []
        for entry in entries.sorted(by: { EvidencePath.precedes($0.path, $1.path) }) {
            out += entry.digest.utf8
            out += [UInt8(ascii: " "), UInt8(ascii: " ")]
            out += entry.path
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// Parses manifest bytes into the entries it vouches for and the problems with its lines.
    ///
    /// A malformed line vouches for nothing, so the file it meant to cover shows up as
    /// `added` too. An out-of-order line still vouches (its digest is intact); a duplicate
    /// line does not (the first one counts).
    static func parse(_ bytes: [UInt8]) -> (entries: [Entry], problems: [EvidenceReport.Problem]) {
        var entries: [Entry] = []
        var problems: [EvidenceReport.Problem] = []
        var firstLine: [[UInt8]: Int] = [:]
        var previous: [UInt8]?

        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let endsWithNewline = bytes.last == UInt8(ascii: "\n")
        if endsWithNewline || bytes.isEmpty { lines.removeLast() }  // the empty piece after the last "\n"

        for (index, line) in lines.enumerated() {
            let number = index + 1
            func malformed(_ reason: String) { problems.append(.manifestMalformed(line: number, reason: reason)) }

            if !endsWithNewline && index == lines.count - 1 {
                malformed("the last line does not end with a newline")
                continue
            }
            if line.isEmpty {
                malformed("the line is empty")
                continue
            }
            let separatorEnd = line.startIndex + 66
            guard line.count > 66,
                line[line.startIndex + 64] == UInt8(ascii: " "),
                line[line.startIndex + 65] == UInt8(ascii: " ")
            else {
                malformed("expected 64 lowercase hexadecimal digits, two spaces and a path")
                continue
            }
            let digest = line[line.startIndex..<line.startIndex + 64]
            if !EvidenceDigest.isCanonicalHexDigest(digest) {
                malformed(
                    EvidenceDigest.isHexDigest(digest)
                        ? "the digest has upper-case hexadecimal digits; rbx writes lower case"
                        : "the digest is not 64 hexadecimal digits"
                )
                continue
            }
            let path = Array(line[separatorEnd...])
            guard String(validating: path, as: UTF8.self) != nil else {
                malformed("the path is not valid UTF-8")
                continue
            }
            if let reason = EvidencePath.problem(with: path) {
                malformed("invalid path \(String(reflecting: String(decoding: path, as: UTF8.self))): \(reason)")
                continue
            }
            if let first = firstLine[path] {
                malformed("duplicate entry for \(quoted(path)); the first is on line \(first)")
                continue
            }
            if let previous, !EvidencePath.precedes(previous, path) {
                malformed("\(quoted(path)) is out of order: entries are sorted by path, byte by byte")
            }
            firstLine[path] = number
            previous = path
            entries.append(Entry(path: path, digest: String(decoding: digest, as: UTF8.self), line: number))
        }
        return (entries, problems)
    }

    private static func quoted(_ path: [UInt8]) -> String {
        "\"" + String(decoding: path, as: UTF8.self) + "\""
    }
}
