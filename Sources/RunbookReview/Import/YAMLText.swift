import Foundation

/// Writes scalars for the YAML the importer generates: plain where that is unambiguous,
/// double-quoted with escapes otherwise, and literal text kept literal under rbx's
/// interpolation (`{{` in a command is written `{{'{{'}}`, which renders as `{{`).
enum YAMLText {
    /// A scalar that reads back as exactly `text`.
    static func scalar(_ text: String) -> String {
        isPlain(text) ? text : quoted(text)
    }

    /// A scalar that rbx interpolates (`run:` elements, `shell:`, `message:`), holding `text`
    /// literally.
    static func literal(_ text: String) -> String {
        scalar(escapingInterpolation(text))
    }

    static func escapingInterpolation(_ text: String) -> String {
        guard text.contains("{{") || text.contains("}}") else { return text }
        var result = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("{{") {
                result += "{{'{{'}}"
                rest = rest.dropFirst(2)
            } else if rest.hasPrefix("}}") {
                result += "{{'}}'}}"
                rest = rest.dropFirst(2)
            } else {
                result.append(rest.removeFirst())
            }
        }
        return result
    }

    static let reserved: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~",
    ]

    static func isPlain(_ text: String) -> Bool {
        guard let first = text.first, !reserved.contains(text.lowercased()) else { return false }
        guard first.isASCII, first.isLetter || first == "/" || first == "_" || (first == "-" && text.count > 1)
        else { return false }
        if text.hasPrefix("-"), text.dropFirst().first == " " { return false }
        return text.allSatisfy { character in
            character.isASCII && (character.isLetter || character.isNumber || "-_./@%+=".contains(character))
        }
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value) {
                    result += "\\x" + String(scalar.value, radix: 16).leftPadded(to: 2)
                } else if scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    result += "\\u" + String(scalar.value, radix: 16).leftPadded(to: 4)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// Text for a `#` comment: one line, no control characters.
    static func comment(_ text: String, limit: Int = 100) -> String {
        let line = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }

    /// `300` → `5m`, `5400` → `1h30m`.
    static func duration(_ seconds: Int) -> String {
        if seconds == 0 { return "0s" }
        var result = ""
        var rest = seconds
        for (unit, size) in [("d", 86400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            result += "\(rest / size)\(unit)"
            rest %= size
        }
        return result
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
