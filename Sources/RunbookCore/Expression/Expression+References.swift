/// What a condition refers to, for lint: which paths it reads and which regular expressions
/// it will compile, each with its offset so a diagnostic can point at it.
extension Expression {
    /// Every path, in source order (duplicates kept: each occurrence has its own offset).
    public var paths: [ExpressionPath] {
        var result: [ExpressionPath] = []
        visit { if case .path(let path) = $0 { result.append(path) } }
        return result
    }

    /// Every string literal on the right of `=~` or `!~`, with the offset of its opening quote.
    /// A regex that comes from a path is only known at run time and is not listed.
    public var regexLiterals: [(pattern: String, offset: Int)] {
        var result: [(pattern: String, offset: Int)] = []
        visit { expression in
            if case .compare(let op, _, .literal(.string(let pattern), let offset), _) = expression, op.takesRegex {
                result.append((pattern, offset))
            }
        }
        return result
    }

    /// Calls `body` on this expression and every sub-expression, parents first, left to right.
    public func visit(_ body: (Expression) -> Void) {
        body(self)
        switch self {
        case .literal, .path:
            break
        case .list(let items, _), .and(let items, _), .or(let items, _):
            for item in items { item.visit(body) }
        case .not(let operand, _):
            operand.visit(body)
        case .compare(_, let lhs, let rhs, _):
            lhs.visit(body)
            rhs.visit(body)
        }
    }
}

extension Expression {
    /// The paths whose truth the expression tests directly: the whole expression, or an operand
    /// of `not`, `and`, `or` (not a side of a comparison, which compares the value itself).
    public var testedForTruth: [ExpressionPath] {
        var found: [ExpressionPath] = []
        var pending = [self]
        while let next = pending.popLast() {
            switch next {
            case .path(let path): found.append(path)
            case .not(let operand, _): pending.append(operand)
            case .and(let operands, _), .or(let operands, _): pending += operands
            case .literal, .list, .compare: break
            }
        }
        return found.sorted { $0.offset < $1.offset }
    }
}

extension Expression {
    /// The paths under a `not` (`not outputs.busy`), which hold when the value is empty.
    public var negatedPaths: [ExpressionPath] {
        var found: [ExpressionPath] = []
        var pending = [self]
        while let next = pending.popLast() {
            switch next {
            case .not(.path(let path), _): found.append(path)
            case .not(let operand, _): pending.append(operand)
            case .and(let operands, _), .or(let operands, _): pending += operands
            case .literal, .list, .compare, .path: break
            }
        }
        return found
    }
}
