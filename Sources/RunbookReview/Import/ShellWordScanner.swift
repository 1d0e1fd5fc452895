/// Splits a command line into words the way a POSIX shell would for the simple cases, and
/// says which features would need a real shell. Used by ``CommandClassifier``.
struct ShellWordScanner {
    var words: [String] = []
    var reasons: [String] = []
    var variables: [String] = []

    static func scan(_ command: String) -> ShellWordScanner {
        var scanner = ShellWordScanner()
        scanner.run(Array(command))
        return scanner
    }

    private mutating func run(_ characters: [Character]) {
        var word = ""
        var inWord = false
        var index = 0
        func endWord() {
            if inWord { words.append(word) }
            word = ""
            inWord = false
        }
        while index < characters.count {
            let character = characters[index]
            switch character {
            case " ", "\t", "\n":
                endWord()
            case "'":
                inWord = true
                guard let end = characters[(index + 1)...].firstIndex(of: "'") else {
                    reasons.append("an unterminated quote")
                    return
                }
                word += String(characters[(index + 1)..<end])
                index = end
            case "\"":
                inWord = true
                index = doubleQuoted(characters, from: index + 1, into: &word)
                guard index < characters.count else {
                    reasons.append("an unterminated quote")
                    return
                }
            case "\\":
                inWord = true
                if index + 1 < characters.count {
                    word.append(characters[index + 1])
                    index += 1
                } else {
                    reasons.append("a trailing backslash")
                }
            case "#" where !inWord:
                return
            case "|": reasons.append(index + 1 < characters.count && characters[index + 1] == "|" ? "||" : "a pipe")
            case "&": reasons.append(index + 1 < characters.count && characters[index + 1] == "&" ? "&&" : "&")
            case ";": reasons.append("a ; list")
            case ">", "<": reasons.append("a redirect")
            case "(", ")": reasons.append("a subshell")
            case "`": reasons.append("command substitution")
            case "$":
                inWord = true
                dollar(characters, at: index)
                word.append(character)
            case "*", "?", "[":
                inWord = true
                reasons.append("a glob (\(character))")
                word.append(character)
            case "~" where !inWord:
                inWord = true
                reasons.append("~ expansion")
                word.append(character)
            case "{":
                inWord = true
                let rest = characters[index...].prefix { $0 != "}" && $0 != " " }
                if rest.contains(",") || String(rest).contains("..") { reasons.append("brace expansion") }
                word.append(character)
            default:
                inWord = true
                word.append(character)
            }
            index += 1
        }
        endWord()
    }

    /// Reads a `"…"` string from `start`; returns the index of the closing quote.
    private mutating func doubleQuoted(_ characters: [Character], from start: Int, into word: inout String) -> Int {
        var index = start
        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\"": return index
            case "\\" where index + 1 < characters.count && "\"\\$`\n".contains(characters[index + 1]):
                word.append(characters[index + 1])
                index += 1
            case "$":
                dollar(characters, at: index)
                word.append(character)
            case "`":
                reasons.append("command substitution")
                word.append(character)
            default:
                word.append(character)
            }
            index += 1
        }
        return index
    }

    private mutating func dollar(_ characters: [Character], at index: Int) {
        guard index + 1 < characters.count else {
            reasons.append("a $")
            return
        }
        let next = characters[index + 1]
        if next == "(" {
            reasons.append("command substitution")
        } else if next == "{" {
            let name = characters[(index + 2)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            variables.append(String(name))
            reasons.append("variable $\(String(name))")
        } else if next.isLetter || next == "_" {
            let name = characters[(index + 1)...].prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            variables.append(String(name))
            reasons.append("variable $\(String(name))")
        } else {
            reasons.append("the shell parameter $\(next)")
        }
    }
}
