/// The rules for paths inside a bundle and for a bundle's own name.
///
/// One set of rules serves the writer (refuse before touching the disk) and the verifier (a
/// manifest line naming `../../etc/passwd` is malformed, not a file to check). They keep every
/// path one that `sha256sum -c` reads back literally: GNU coreutils escapes a name holding a
/// backslash or a line break with a leading `\`, which would make the manifest's format depend
/// on its contents, so such names are refused, along with every other control character.
enum EvidencePath {
    /// The manifest's own name, reserved at the top of every bundle.
    static let manifestName = "MANIFEST.sha256"

    /// The longest bundle name: `NAME_MAX` (255) less the temporary directory's
    /// `.tmp-` prefix and `-` plus 16 hexadecimal digits of suffix.
    static let maximumNameLength = 255 - 22

    /// Why `path` is not acceptable inside a bundle, or `nil` when it is.
    ///
    /// Acceptable: relative, `/`-separated, no empty, `.` or `..` component, no backslash, no
    /// NUL or other control character, and not `MANIFEST.sha256` itself.
    static func problem(with path: [UInt8]) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.first == UInt8(ascii: "/") { return "the path is absolute; it must be relative to the bundle" }
        if let reason = characterProblem(in: path) { return reason }
        for component in path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            if component.isEmpty { return "the path has an empty component (\"//\" or a trailing \"/\")" }
            if component.elementsEqual([UInt8(ascii: ".")]) { return "the path has a \".\" component" }
            if component.elementsEqual([UInt8(ascii: "."), UInt8(ascii: ".")]) {
                return "the path has a \"..\" component"
            }
        }
        if path.elementsEqual(manifestName.utf8) {
            return "\(manifestName) is reserved for the manifest rbx writes"
        }
        if path.elementsEqual(EvidenceSignature.fileName.utf8) {
            return "\(EvidenceSignature.fileName) is reserved for the manifest's signature"
        }
        return nil
    }

    /// Why `name` cannot name a bundle directory, or `nil` when it can: one visible directory
    /// name (dot-prefixed names are reserved for temporary directories), short enough to leave
    /// room for the temporary suffix.
    static func problem(withName name: String) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "the name is empty" }
        if bytes.contains(UInt8(ascii: "/")) { return "the name contains \"/\"; it must be a single directory name" }
        if bytes.first == UInt8(ascii: ".") {
            return "the name starts with \".\"; hidden names are reserved for unfinished bundles"
        }
        if let reason = characterProblem(in: bytes) { return reason.replacingPath(with: "name") }
        if bytes.count > maximumNameLength {
            return "the name is \(bytes.count) bytes long; at most \(maximumNameLength) are allowed"
        }
        return nil
    }

    private static func characterProblem(in bytes: [UInt8]) -> String? {
        for byte in bytes {
            switch byte {
            case 0: return "the path contains a NUL byte"
            case UInt8(ascii: "\\"): return "the path contains a backslash, which sha256sum would escape"
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                return "the path contains a line break, which sha256sum would escape"
            case 0..<0x20, 0x7F:
                return "the path contains the control character U+\(hex2(byte))"
            default: continue
            }
        }
        return nil
    }

    private static func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "00" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }

    /// Whether `a` sorts before `b` byte by byte, the order of `sha256sum` under `LC_ALL=C`
    /// and of the manifest. (Swift's `String` order compares normalized Unicode instead.)
    static func precedes(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.lexicographicallyPrecedes(b)
    }
}

extension String {
    fileprivate func replacingPath(with word: String) -> String {
        guard hasPrefix("the path ") else { return self }
        return "the \(word) " + dropFirst("the path ".count)
    }
}
