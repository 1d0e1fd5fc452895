/// Canonical printing: one spelling per meaning, so `rbx diff` can compare conditions as
/// text. Whitespace is normalised, strings use double quotes, numbers plain decimal,
/// parentheses appear only where precedence needs them, and nested `and`/`or` chains are
/// flattened. Printing then parsing gives back the same expression (offsets aside).
extension Expression: CustomStringConvertible {
    public var description: String {
        var output = ""
        write(to: &output, minimum: .or)
        return output
    }

    /// Binding strength, loosest first, as in the grammar in docs/format.md.
    private enum Precedence: Int, Comparable {
        case or, and, not, compare, operand

        static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private var precedence: Precedence {
        switch self {
        case .or(let items, _): items.count == 1 ? items[0].precedence : .or
        case .and(let items, _): items.count == 1 ? items[0].precedence : .and
        case .not: .not
        case .compare: .compare
        case .literal, .path, .list: .operand
        }
    }

    /// Writes the expression, parenthesised if it binds more loosely than `minimum` requires.
    private func write(to output: inout String, minimum: Precedence) {
        let parenthesised = precedence < minimum
        if parenthesised { output += "(" }
        switch self {
        case .literal(let value, _):
            output += value.description
        case .path(let path):
            output += path.description
        case .list(let items, _):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                item.write(to: &output, minimum: .operand)
            }
            output += "]"
        case .not(let operand, _):
            output += "not "
            operand.write(to: &output, minimum: .not)
        case .and(let items, _):
            writeChain(items, keyword: "and", to: &output)
        case .or(let items, _):
            writeChain(items, keyword: "or", to: &output)
        case .compare(let op, let lhs, let rhs, _):
            lhs.write(to: &output, minimum: .operand)
            output += " " + op.rawValue + " "
            rhs.write(to: &output, minimum: .operand)
        }
        if parenthesised { output += ")" }
    }

    /// `a and b and c`, splicing in operands that are themselves the same chain.
    private func writeChain(_ items: [Expression], keyword: String, to output: inout String) {
        let isAnd = keyword == "and"
        guard !items.isEmpty else {
            // The identity of the operator: what an empty chain evaluates to.
            output += isAnd ? "true" : "false"
            return
        }
        var first = true
        var pending = Array(items.reversed())
        while let item = pending.popLast() {
            switch (item, isAnd) {
            case (.and(let inner, _), true), (.or(let inner, _), false):
                pending.append(contentsOf: inner.reversed())
                continue
            default:
                break
            }
            if !first { output += " " + keyword + " " }
            first = false
            item.write(to: &output, minimum: isAnd ? .not : .and)
        }
        if first { output += isAnd ? "true" : "false" }
    }
}
