/// A parsed condition (`when`, `until`, `resolved_when`) or the inside of a `{{ }}`.
///
/// `and` and `or` hold all their operands in one flat list (`a and b and c`, also when written
/// `(a and b) and c`): the operators are associative, a flat tree keeps printing and
/// evaluation iterative however long the chain, and equivalent spellings compare equal.
///
/// Offsets are 0-based counts of Unicode scalars from the start of the source text. Each case's
/// offset is where that sub-expression starts, except `compare`, whose offset is its operator,
/// so a diagnostic about the comparison can point at it (``startOffset`` gives its start).
public indirect enum Expression: Sendable, Hashable {
    /// `"text"`, `'text'`, `93`, `-0.5`, `true`, `false` or `null`.
    case literal(ExpressionValue, offset: Int)
    case path(ExpressionPath)
    /// `[operand, …]`; the offset is the `[`.
    case list([Expression], offset: Int)
    /// `not operand`; the offset is the `not`.
    case not(Expression, offset: Int)
    /// Two or more operands, all of which must be true; evaluated left to right, stopping early.
    case and([Expression], offset: Int)
    /// Two or more operands, one of which must be true; evaluated left to right, stopping early.
    case or([Expression], offset: Int)
    /// `lhs op rhs`; the offset is the operator.
    case compare(ExpressionOperator, Expression, Expression, offset: Int)
    /// `lhs + rhs` and the other arithmetic operators; the offset is the operator.
    case arithmetic(ArithmeticOperator, Expression, Expression, offset: Int)
    /// `-operand` where the operand is not a number literal (`-5` is folded into a literal).
    case negate(Expression, offset: Int)
    /// `5m`, `1h30m`: a duration literal, in seconds, kept apart from numbers so it prints as written.
    case duration(Double, offset: Int)
    /// `len(x)`, `lower(x)` …; the offset is the function's name. See ``ExpressionFunction``.
    case call(String, [Expression], offset: Int)
    /// `base[key]` or `base.name` after something other than a plain path
    /// (`steps.up.samples[0].labels`); the offset is the `[` or `.`.
    case index(Expression, Expression, offset: Int)
    /// `element for variable in list if filter`, as a call's only argument or inside `[ ]`:
    /// the list of `element` for each item of `list` (named `variable`) for which `filter` holds.
    /// The offset is the start of `element`.
    case comprehension(element: Expression, variable: String, list: Expression, filter: Expression?, offset: Int)

    /// Where the expression starts in the source.
    public var startOffset: Int {
        switch self {
        case .literal(_, let offset), .list(_, let offset), .not(_, let offset), .and(_, let offset),
            .or(_, let offset), .negate(_, let offset), .duration(_, let offset), .call(_, _, let offset),
            .comprehension(_, _, _, _, let offset):
            offset
        case .path(let path): path.offset
        case .compare(_, let lhs, _, _), .arithmetic(_, let lhs, _, _), .index(let lhs, _, _): lhs.startOffset
        }
    }

    /// The same expression with every offset set to 0, for comparing conditions by meaning
    /// rather than by layout (`a==b` and `a  ==  b` differ only in offsets).
    public var withoutOffsets: Expression {
        switch self {
        case .literal(let value, _): .literal(value, offset: 0)
        case .path(let path): .path(ExpressionPath(components: path.components, offset: 0))
        case .list(let items, _): .list(items.map(\.withoutOffsets), offset: 0)
        case .not(let operand, _): .not(operand.withoutOffsets, offset: 0)
        case .and(let items, _): .and(items.map(\.withoutOffsets), offset: 0)
        case .or(let items, _): .or(items.map(\.withoutOffsets), offset: 0)
        case .compare(let op, let lhs, let rhs, _): .compare(op, lhs.withoutOffsets, rhs.withoutOffsets, offset: 0)
        case .arithmetic(let op, let lhs, let rhs, _):
            .arithmetic(op, lhs.withoutOffsets, rhs.withoutOffsets, offset: 0)
        case .negate(let operand, _): .negate(operand.withoutOffsets, offset: 0)
        case .duration(let seconds, _): .duration(seconds, offset: 0)
        case .call(let name, let arguments, _): .call(name, arguments.map(\.withoutOffsets), offset: 0)
        case .index(let base, let key, _): .index(base.withoutOffsets, key.withoutOffsets, offset: 0)
        case .comprehension(let element, let variable, let list, let filter, _):
            .comprehension(
                element: element.withoutOffsets, variable: variable, list: list.withoutOffsets,
                filter: filter?.withoutOffsets, offset: 0)
        }
    }
}
