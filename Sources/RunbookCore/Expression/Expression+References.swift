/// What a condition refers to, for lint: which paths it reads and which regular expressions
/// it will compile, each with its offset so a diagnostic can point at it.
extension Expression {
    /// Every path that refers to the run (not to a comprehension's own name), in source order
    /// (duplicates kept: each occurrence has its own offset).
    public var paths: [ExpressionPath] {
        var result: [ExpressionPath] = []
        collectPaths(into: &result, bound: [])
        // Collected left to right, they are in order unless a comprehension's list (collected
        // first) follows its element: sort only then, rather than copying every time.
        if zip(result, result.dropFirst()).allSatisfy({ $0.offset <= $1.offset }) { return result }
        return result.sorted { $0.offset < $1.offset }
    }

    private func collectPaths(into result: inout [ExpressionPath], bound: Set<String>) {
        switch self {
        case .path(let path):
            if let root = path.components.first, bound.isEmpty || !bound.contains(root) { result.append(path) }
        case .comprehension(let element, let variable, let list, let filter, _):
            list.collectPaths(into: &result, bound: bound)
            let inner = bound.union([variable])
            element.collectPaths(into: &result, bound: inner)
            filter?.collectPaths(into: &result, bound: inner)
        default:
            forEachChild { $0.collectPaths(into: &result, bound: bound) }
        }
    }

    /// Calls `body` on each direct sub-expression, left to right, as ``children`` lists them,
    /// without building that list: lint walks every condition and `{{ }}` of a catalog.
    public func forEachChild(_ body: (Expression) -> Void) {
        switch self {
        case .literal, .path, .duration: break
        case .list(let items, _), .and(let items, _), .or(let items, _), .call(_, let items, _):
            for item in items { body(item) }
        case .not(let operand, _), .negate(let operand, _): body(operand)
        case .compare(_, let lhs, let rhs, _), .arithmetic(_, let lhs, let rhs, _), .index(let lhs, let rhs, _):
            body(lhs)
            body(rhs)
        case .comprehension(let element, _, let list, let filter, _):
            body(element)
            body(list)
            if let filter { body(filter) }
        }
    }

    /// The direct sub-expressions, left to right.
    public var children: [Expression] {
        switch self {
        case .literal, .path, .duration: []
        case .list(let items, _), .and(let items, _), .or(let items, _), .call(_, let items, _): items
        case .not(let operand, _), .negate(let operand, _): [operand]
        case .compare(_, let lhs, let rhs, _), .arithmetic(_, let lhs, let rhs, _), .index(let lhs, let rhs, _):
            [lhs, rhs]
        case .comprehension(let element, _, let list, let filter, _): [element, list] + (filter.map { [$0] } ?? [])
        }
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
        forEachChild { $0.visit(body) }
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
            default: break
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
            default: break
            }
        }
        return found
    }
}
