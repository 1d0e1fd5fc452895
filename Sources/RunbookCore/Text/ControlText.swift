/// Escaping for untrusted text placed in a line-oriented record: a timeline line, a log line,
/// terminal output.
///
/// An alert label is the sender's to choose. Left raw, `\n` in a label starts a forged line
/// ("T+00:00:01  run  finished: succeeded") in `rbx run`'s output, the evidence `timeline.md`
/// and the server's log, and ANSI escapes rewrite what a terminal shows. Every record rbx
/// writes of untrusted text goes through ``escape(_:)``, the one place that decides what is
/// shown as an escape.
public enum ControlText {
    /// `text` with control characters shown as escapes: `\n`, `\r`, `\t`, and `\u{1B}` for the
    /// rest of C0, DEL and C1; also the Unicode controls that reorder or hide text (bidi
    /// overrides and isolates, line and paragraph separators). A backslash is left as it is.
    public static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        default: false
        }
    }
}
