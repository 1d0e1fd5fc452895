/// Escaping for text placed in HTML: catalog and alert content is untrusted wherever it is
/// shown in a page (the status page, `rbx docs`).
public enum HTMLText {
    /// Escapes the five characters that matter in element content and quoted attributes.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
