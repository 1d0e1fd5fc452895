/// The few URL decisions both renderers share.
enum DocURL {
    /// Only plain web links from a catalog become links; `javascript:`, `data:` and anything
    /// with spaces or control characters is shown as text instead.
    static func isSafe(_ url: String) -> Bool {
        let lowered = url.lowercased()
        guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return false }
        return !url.unicodeScalars.contains {
            $0.value <= 0x20 || $0.value == 0x7F || $0 == "\"" || $0 == "<" || $0 == ">" || $0 == "\\"
        }
    }

    /// An anchor or file stem made of `[a-z0-9_-]` only, so it is the same in Markdown, in
    /// HTML and on every file system. Other characters become `-`.
    static func anchor(_ text: String) -> String {
        let mapped = text.lowercased().unicodeScalars.map { scalar -> Character in
            let ok = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "-"
            return ok ? Character(scalar) : "-"
        }
        let result = String(mapped)
        return result.isEmpty ? "-" : result
    }
}
