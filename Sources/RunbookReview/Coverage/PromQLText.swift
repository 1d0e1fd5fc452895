import Foundation

/// The small pieces of PromQL's lexical structure ``PromQLLabels`` needs: brackets and quotes
/// balanced, binary operators at the top level, calls, selectors, literals.
enum PromQLText {
    static let comparisons: Set<String> = ["==", "!=", ">=", "<=", ">", "<"]

    struct Modifiers {
        var bool = false
        var on: [String]?
        var ignoring: [String]?
        var groupLeft: [String]?
        var groupRight: [String]?
    }

    struct BinarySplit {
        var op: String
        var left: Substring
        var right: Substring
        var modifiers: Modifiers
    }

    enum Grouping {
        case by([String])
        case without([String])
    }

    struct Call {
        var name: String
        var arguments: [Substring]
        var grouping: Grouping?
    }

    struct Selector {
        var equalities: [String: String]
    }

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }

    /// The text without `# …` comments (outside quotes), which run to the end of their line.
    static func strippingComments(_ text: Substring) -> Substring {
        guard text.contains("#") else { return text }
        var result = ""
        var quote: Character?
        var inComment = false
        for character in text {
            if inComment {
                if character == "\n" { inComment = false } else { continue }
            } else if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if character == "#" {
                inComment = true
                continue
            }
            result.append(character)
        }
        return Substring(result)
    }

    /// The inside of `( … )` when the whole text is one parenthesised expression.
    static func parenthesized(_ text: Substring) -> Substring? {
        guard text.first == "(", let close = matchingClose(in: text, from: text.startIndex),
            text.index(after: close) == text.endIndex
        else { return nil }
        return text[text.index(after: text.startIndex)..<close]
    }

    /// The index of the bracket closing the one at `open`, skipping quoted text.
    static func matchingClose(in text: Substring, from open: Substring.Index) -> Substring.Index? {
        var depth = 0
        var quote: Character?
        var index = open
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" && open != "`" {
                    text.formIndex(after: &index)
                } else if character == open {
                    quote = nil
                }
            } else if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
                if depth == 0 { return index }
            }
            if index < text.endIndex { text.formIndex(after: &index) }
        }
        return nil
    }

    /// The top-level operator that binds least (the last of equals: PromQL's operators
    /// associate left), with the two sides and the right side's leading modifiers.
    static func lowestBinaryOperator(in text: Substring) -> BinarySplit? {
        var best: (precedence: Int, start: Substring.Index, end: Substring.Index, op: String)?
        var depth = 0
        var quote: Character?
        var previous: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == "\\" && open != "`", text.index(after: index) < text.endIndex {
                    text.formIndex(after: &index)
                } else if character == open {
                    quote = nil
                    previous = character
                }
                text.formIndex(after: &index)
                continue
            }
            if character == "\"" || character == "'" || character == "`" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
            } else if depth == 0, let found = operatorAt(index, in: text, previous: previous) {
                if best == nil || found.precedence <= best!.precedence {
                    best = (found.precedence, index, found.end, found.op)
                }
                previous = text[text.index(before: found.end)]
                index = found.end
                continue
            }
            if !character.isWhitespace { previous = character }
            text.formIndex(after: &index)
        }
        guard let best else { return nil }
        let left = text[..<best.start]
        let (modifiers, right) = readModifiers(text[best.end...])
        guard !trimmed(left).isEmpty, !trimmed(right).isEmpty else { return nil }
        return BinarySplit(op: best.op, left: left, right: right, modifiers: modifiers)
    }

    private static func operatorAt(
        _ index: Substring.Index, in text: Substring, previous: Character?
    ) -> (op: String, precedence: Int, end: Substring.Index)? {
        let rest = text[index...]
        for (word, precedence) in [("or", 1), ("and", 2), ("unless", 2), ("atan2", 5)]
        where rest.hasPrefix(word) && isWordBoundary(before: index, in: text) {
            let end = text.index(index, offsetBy: word.count)
            if end == text.endIndex || !isIdentifier(text[end]) { return (word, precedence, end) }
        }
        for symbol in ["==", "!=", ">=", "<="] where rest.hasPrefix(symbol) {
            return (symbol, 3, text.index(index, offsetBy: 2))
        }
        let character = text[index]
        let end = text.index(after: index)
        switch character {
        case ">", "<": return (String(character), 3, end)
        case "*", "/", "%": return (String(character), 5, end)
        case "^": return ("^", 6, end)
        case "+", "-":
            // Binary only after an operand; `1e-3` is a number.
            guard let previous, isIdentifier(previous) || ")]}\"'`".contains(previous) else { return nil }
            if "eE".contains(previous), index > text.startIndex {
                let beforeE = text.index(before: index)
                if beforeE > text.startIndex, text[text.index(before: beforeE)].isNumber { return nil }
            }
            return (String(character), 4, end)
        default: return nil
        }
    }

    private static func readModifiers(_ text: Substring) -> (Modifiers, Substring) {
        var modifiers = Modifiers()
        var rest = trimmed(text)
        while true {
            if let after = keyword("bool", in: rest) {
                modifiers.bool = true
                rest = after
            } else if let (names, after) = keywordList(["on", "ignoring", "group_left", "group_right"], in: rest) {
                switch names.keyword {
                case "on": modifiers.on = names.list
                case "ignoring": modifiers.ignoring = names.list
                case "group_left": modifiers.groupLeft = names.list
                default: modifiers.groupRight = names.list
                }
                rest = after
            } else {
                return (modifiers, rest)
            }
        }
    }

    private static func keyword(_ word: String, in text: Substring) -> Substring? {
        guard text.hasPrefix(word) else { return nil }
        let after = text.dropFirst(word.count)
        guard after.first.map({ !isIdentifier($0) }) ?? true else { return nil }
        return trimmed(after)
    }

    /// `on (a, b)` → ("on", [a, b]); the list is optional after `group_left`/`group_right`.
    private static func keywordList(
        _ words: [String], in text: Substring
    ) -> ((keyword: String, list: [String]), Substring)? {
        for word in words {
            guard let after = keyword(word, in: text) else { continue }
            if after.first == "(", let close = matchingClose(in: after, from: after.startIndex) {
                let list = after[after.index(after: after.startIndex)..<close]
                let names = list.split(separator: ",").map { String(trimmed($0)) }.filter { !$0.isEmpty }
                return ((word, names), trimmed(after[after.index(after: close)...]))
            }
            if word.hasPrefix("group_") { return ((word, []), after) }
        }
        return nil
    }

    /// Drops what changes a vector's time but not its labels: `[5m]`, `[1h:5m]`, `offset 5m`, `@ t`.
    static func strippingModifiers(_ text: Substring) -> Substring {
        var text = trimmed(text)
        while true {
            if text.last == "]", let open = text.lastIndex(of: "["),
                let close = matchingClose(in: text, from: open), text.index(after: close) == text.endIndex
            {
                text = trimmed(text[..<open])
            } else if let range = text.range(of: " offset ", options: .backwards),
                !text[range.upperBound...].contains(where: { "(){}\"".contains($0) })
            {
                text = trimmed(text[..<range.lowerBound])
            } else if let at = text.lastIndex(of: "@"), !text[at...].contains(where: { "{}\"".contains($0) }),
                text[text.index(after: at)...].allSatisfy({
                    $0.isNumber || $0.isWhitespace || "().startend".contains($0)
                })
            {
                text = trimmed(text[..<at])
            } else {
                return text
            }
        }
    }

    static func isNumber(_ text: Substring) -> Bool {
        let lowered = text.lowercased()
        if ["inf", "+inf", "-inf", "nan"].contains(lowered) { return true }
        return Double(text) != nil || (lowered.hasPrefix("0x") && Int(lowered.dropFirst(2), radix: 16) != nil)
    }

    static func isString(_ text: Substring) -> Bool { stringValue(text) != nil }

    /// The value of a quoted string literal (`"a\"b"`, `'x'`, `` `raw` ``); nil if `text` is not one.
    static func stringValue(_ text: Substring) -> String? {
        guard let open = text.first, "\"'`".contains(open), text.count >= 2, text.last == open else { return nil }
        let body = text.dropFirst().dropLast()
        if open == "`" { return body.contains("`") ? nil : String(body) }
        var value = ""
        var escaped = false
        for character in body {
            if escaped {
                value.append(character == "n" ? "\n" : character == "t" ? "\t" : character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == open {
                return nil
            } else {
                value.append(character)
            }
        }
        return escaped ? nil : value
    }

    /// `name [by|without (…)] ( args ) [by|without (…)]`.
    static func call(_ text: Substring) -> Call? {
        var index = text.startIndex
        while index < text.endIndex, isIdentifier(text[index]) { text.formIndex(after: &index) }
        let name = String(text[..<index])
        guard !name.isEmpty, !name.first!.isNumber else { return nil }
        var rest = trimmed(text[index...])
        var grouping: Grouping?
        if let (found, after) = readGrouping(rest) {
            grouping = found
            rest = after
        }
        guard rest.first == "(", let close = matchingClose(in: rest, from: rest.startIndex) else { return nil }
        let inside = rest[rest.index(after: rest.startIndex)..<close]
        let after = trimmed(rest[rest.index(after: close)...])
        if !after.isEmpty {
            guard grouping == nil, let (found, end) = readGrouping(after), end.isEmpty else { return nil }
            grouping = found
        }
        return Call(name: name, arguments: topLevelSplit(inside, at: ","), grouping: grouping)
    }

    private static func readGrouping(_ text: Substring) -> (Grouping, Substring)? {
        for word in ["by", "without"] {
            guard let after = keyword(word, in: text), after.first == "(",
                let close = matchingClose(in: after, from: after.startIndex)
            else { continue }
            let names = after[after.index(after: after.startIndex)..<close].split(separator: ",")
                .map { String(trimmed($0)) }.filter { !$0.isEmpty }
            let rest = trimmed(after[after.index(after: close)...])
            return (word == "by" ? .by(names) : .without(names), rest)
        }
        return nil
    }

    /// `metric`, `metric{a="b", c=~"d"}` or `{a="b"}`: the `=` matchers' values.
    static func selector(_ text: Substring) -> Selector? {
        var index = text.startIndex
        while index < text.endIndex, isIdentifier(text[index]) { text.formIndex(after: &index) }
        if let first = text.first, first.isNumber { return nil }
        let braces = trimmed(text[index...])
        if braces.isEmpty { return index == text.startIndex ? nil : Selector(equalities: [:]) }
        guard braces.first == "{", let close = matchingClose(in: braces, from: braces.startIndex),
            braces.index(after: close) == braces.endIndex
        else { return nil }
        var equalities: [String: String] = [:]
        for matcher in topLevelSplit(braces[braces.index(after: braces.startIndex)..<close], at: ",") {
            let matcher = trimmed(matcher)
            guard let equals = matcher.firstIndex(of: "="), equals > matcher.startIndex else { continue }
            let name = trimmed(matcher[..<equals])
            let afterEquals = matcher[matcher.index(after: equals)...]
            guard !"!".contains(matcher[matcher.index(before: equals)]), afterEquals.first != "~",
                name.allSatisfy(isIdentifier), let value = stringValue(trimmed(afterEquals))
            else { continue }
            equalities[String(name)] = value
        }
        return Selector(equalities: equalities)
    }

    static func topLevelSplit(_ text: Substring, at separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if "([{\"'`".contains(character), let close = matchingCloseOrQuote(in: text, from: index) {
                index = text.index(after: close)
                continue
            }
            if character == separator {
                parts.append(text[start..<index])
                start = text.index(after: index)
            }
            text.formIndex(after: &index)
        }
        let last = text[start...]
        if !trimmed(last).isEmpty || !parts.isEmpty { parts.append(last) }
        return parts
    }

    private static func matchingCloseOrQuote(in text: Substring, from index: Substring.Index) -> Substring.Index? {
        let open = text[index]
        guard "\"'`".contains(open) else { return matchingClose(in: text, from: index) }
        var cursor = text.index(after: index)
        while cursor < text.endIndex {
            if text[cursor] == "\\" && open != "`" {
                text.formIndex(after: &cursor)
            } else if text[cursor] == open {
                return cursor
            }
            if cursor < text.endIndex { text.formIndex(after: &cursor) }
        }
        return nil
    }

    static func isIdentifier(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == ":"
    }

    private static func isWordBoundary(before index: Substring.Index, in text: Substring) -> Bool {
        index == text.startIndex || !isIdentifier(text[text.index(before: index)])
    }
}
