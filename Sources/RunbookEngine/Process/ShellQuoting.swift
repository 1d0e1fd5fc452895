/// Quoting for the one place rbx builds shell text: a runbook step that opts into `shell:`.
///
/// Every interpolated value is wrapped in POSIX single quotes, inside which `sh` interprets
/// nothing: no `$`, no backquote, no backslash, no glob, no word splitting. The only character
/// that cannot appear inside single quotes, `'` itself, is written as `'\''` (close the quote, an
/// escaped quote, reopen). Every value is quoted, even a harmless-looking one, so that a value
/// such as `A=b` can never become an assignment word and the rendered command reads the same
/// for every input.
///
/// ```swift
/// ShellQuoting.quote("it's")     // 'it'\''s'
/// ShellQuoting.quote("")         // ''
/// ShellQuoting.quote("$(id)")    // '$(id)'
/// ```
///
/// A NUL byte cannot be passed through any shell word; callers reject such values earlier
/// (``ProcessCommandRunner`` refuses argv elements that contain one).
public enum ShellQuoting {
    /// Returns `value` as one POSIX `sh` word that expands to exactly `value`.
    public static func quote(_ value: String) -> String {
        var quoted = "'"
        for character in value.unicodeScalars {
            if character == "'" {
                quoted += #"'\''"#
            } else {
                quoted.unicodeScalars.append(character)
            }
        }
        quoted += "'"
        return quoted
    }

    /// Quotes each element and joins them with spaces, e.g. for showing an argv as a command line.
    public static func join(_ words: [String]) -> String {
        words.map(quote).joined(separator: " ")
    }

    /// An argv as a person reads it in the timeline: plain words as they are, anything else
    /// (spaces, quotes, `$`, an empty word) quoted, so `["echo", "a b"]` does not read as three
    /// words and the line can be pasted into a shell to run the same command.
    public static func display(_ words: [String]) -> String {
        words.map { word in
            let plain =
                !word.isEmpty
                && word.unicodeScalars.allSatisfy { scalar in
                    switch scalar {
                    case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "=", "@", "%", "+", ",": true
                    default: false
                    }
                }
            return plain ? word : quote(word)
        }.joined(separator: " ")
    }
}
