/// Escaping for untrusted text printed to a terminal (alert labels, command output): control
/// characters (C0, DEL, C1: newlines, ANSI escapes) are shown as `\u{…}`, never obeyed, so a
/// label cannot forge a line or recolour the screen. Tabs are kept.
public enum TerminalText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar != "\t", scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
