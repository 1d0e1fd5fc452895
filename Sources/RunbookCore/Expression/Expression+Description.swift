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
        case or, and, not, compare, sum, product, prefix, operand

        static func < (lhs: Precedence, rhs: Precedence) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    private var precedence: Precedence {
        switch self {
        case .or(let items, _): items.count == 1 ? items[0].precedence : .or
        case .and(let items, _): items.count == 1 ? items[0].precedence : .and
        case .not: .not
        case .compare: .compare
        case .arithmetic(let op, _, _, _): op.isMultiplicative ? .product : .sum
        case .negate: .prefix
        case .literal(.number(let value), _) where value < 0 || (value == 0 && value.sign == .minus): .prefix
        case .duration(let seconds, _) where seconds < 0: .prefix
        case .literal, .path, .list, .duration, .call, .index, .comprehension: .operand
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
            writeItems(items, to: &output)
            output += "]"
        case .not(let operand, _):
            output += "not "
            operand.write(to: &output, minimum: .not)
        case .and(let items, _):
            writeChain(items, keyword: "and", to: &output)
        case .or(let items, _):
            writeChain(items, keyword: "or", to: &output)
        case .compare(let op, let lhs, let rhs, _):
            lhs.write(to: &output, minimum: .sum)
            output += " " + op.rawValue + " "
            rhs.write(to: &output, minimum: .sum)
        case .arithmetic(let op, let lhs, let rhs, _):
            // Left to right: the right operand needs parentheses at the same strength (`a - (b - c)`).
            let strength: Precedence = op.isMultiplicative ? .product : .sum
            lhs.write(to: &output, minimum: strength)
            output += " " + op.rawValue + " "
            rhs.write(to: &output, minimum: strength == .sum ? .product : .prefix)
        case .negate(let operand, _):
            output += "-"
            operand.write(to: &output, minimum: .prefix)
        case .duration(let seconds, _):
            output += (seconds < 0 ? "-" : "") + Duration.milliseconds(Int64(abs(seconds) * 1000)).runbookDescription
        case .call(let name, let arguments, _):
            output += name + "("
            if arguments.count == 1, case .comprehension = arguments[0] {
                arguments[0].writeComprehension(to: &output)
            } else {
                writeItems(arguments, to: &output)
            }
            output += ")"
        case .index(let base, .literal(.string(let name), _), _) where ExpressionPath.isIdentifier(name):
            base.write(to: &output, minimum: .operand)
            output += "." + name
        case .index(let base, let key, _):
            base.write(to: &output, minimum: .operand)
            output += "["
            key.write(to: &output, minimum: .or)
            output += "]"
        case .comprehension:
            output += "["
            writeComprehension(to: &output)
            output += "]"
        }
        if parenthesised { output += ")" }
    }

    /// `element for name in list if filter`, without the brackets a call's argument omits.
    private func writeComprehension(to output: inout String) {
        guard case .comprehension(let element, let variable, let list, let filter, _) = self else { return }
        element.write(to: &output, minimum: .or)
        output += " for " + variable + " in "
        list.write(to: &output, minimum: .sum)
        if let filter {
            output += " if "
            filter.write(to: &output, minimum: .or)
        }
    }

    /// List items or call arguments, each at any strength (the commas delimit them).
    private func writeItems(_ items: [Expression], to output: inout String) {
        for (index, item) in items.enumerated() {
            if index > 0 { output += ", " }
            item.write(to: &output, minimum: .or)
        }
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
