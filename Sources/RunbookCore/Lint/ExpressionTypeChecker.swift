/// Type checks a condition or `{{ }}` where the types are known, so `len(steps.up.ok)` or
/// `steps.df.outputs.mounts > 90` is a lint error at its column instead of a condition that is
/// quietly false at 3 a.m. What it cannot know (a JSON output) passes and is `null`-safe when run.
struct ExpressionTypeChecker {
    let scope: ReferenceScope
    private(set) var problems: [(message: String, offset: Int)] = []
    /// Comprehension names in force, with their element types.
    private var bound: [String: ExpressionType] = [:]

    init(scope: ReferenceScope) {
        self.scope = scope
    }

    private mutating func problem(_ message: String, at offset: Int) {
        problems.append((message, offset))
    }

    mutating func type(of expression: Expression) -> ExpressionType {
        switch expression {
        case .literal(let value, _): return ExpressionType(of: value)
        case .duration: return .number
        case .path(let path): return type(of: path)
        case .list(let items, _):
            let types = items.map { type(of: $0) }
            return .list(Set(types).count == 1 ? types[0] : .unknown)
        case .not(let operand, _):
            _ = type(of: operand)
            return .bool
        case .and(let items, _), .or(let items, _):
            for item in items { _ = type(of: item) }
            return .bool
        case .compare(let op, let lhs, let rhs, let offset):
            checkComparison(op, lhs, rhs, offset: offset)
            return .bool
        case .arithmetic(let op, let lhs, let rhs, _):
            requireNumber(lhs, for: "\"\(op)\"")
            requireNumber(rhs, for: "\"\(op)\"")
            return .number
        case .negate(let operand, _):
            requireNumber(operand, for: "\"-\"")
            return .number
        case .call(let name, let arguments, let offset):
            guard let function = ExpressionFunction(rawValue: name) else { return .unknown }
            return call(function, arguments, offset: offset)
        case .index(let base, let key, let offset):
            return index(type(of: base), key, offset: offset, base: base)
        case .comprehension(let element, let variable, let list, let filter, _):
            let listType = type(of: list)
            guard let elementType = listType.element else {
                problem("\"for … in\" needs a list; \(list) is \(listType)", at: list.startOffset)
                return .list(.unknown)
            }
            let shadowed = bound[variable]
            bound[variable] = elementType
            defer { bound[variable] = shadowed }
            if let filter { _ = type(of: filter) }
            return .list(type(of: element))
        }
    }

    private mutating func type(of path: ExpressionPath) -> ExpressionType {
        var current: ExpressionType
        var consumed: Int
        // Outside a comprehension nothing is bound, and looking a name up would still hash it.
        if !bound.isEmpty, let root = path.components.first, let element = bound[root] {
            (current, consumed) = (element, 1)
        } else {
            (current, consumed) = scope.type(of: path.components)
        }
        let components = path.components
        var index = consumed
        while index < components.count {
            guard let member = current.member(components[index]) else {
                // The path up to here, built only for the message.
                let shown = ExpressionPath(components: Array(components[..<index]))
                problem("\(shown) is \(current); it has no field \"\(components[index])\"", at: path.offset)
                return .unknown
            }
            current = member
            index += 1
        }
        return current
    }

    private mutating func index(
        _ baseType: ExpressionType, _ key: Expression, offset: Int, base: Expression
    ) -> ExpressionType {
        let keyType = type(of: key)
        switch baseType {
        case .list(let element):
            if !Self.isWholeNumber(key, keyType) {
                problem("a list is indexed by a whole number, as in [0] or [-1]", at: key.startOffset)
            }
            return element
        case .record(let fields):
            if case .literal(.string(let name), _) = key {
                guard let field = fields[name] else {
                    problem(
                        "\(base) has no field \"\(name)\"" + Suggestion.didYouMean(name, in: fields.keys.sorted()),
                        at: offset)
                    return .unknown
                }
                return field
            }
            return baseType.member(nil) ?? .unknown
        case .unknown, .null, .object:
            return baseType.member(nil) ?? .unknown
        case .bool, .number, .string:
            problem("\(base) is \(baseType); only lists and objects can be indexed", at: offset)
            return .unknown
        }
    }

    private mutating func checkComparison(_ op: ExpressionOperator, _ lhs: Expression, _ rhs: Expression, offset: Int) {
        let left = type(of: lhs)
        let right = type(of: rhs)
        switch op {
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            for (side, type) in [(lhs, left), (rhs, right)] where !type.canBeText {
                problem("\"\(op)\" compares numbers or text; \(side) is \(type)", at: side.startOffset)
            }
        case .matches, .doesNotMatch:
            if !left.canBeText { problem("\"\(op)\" matches text; \(lhs) is \(left)", at: lhs.startOffset) }
        case .in, .notIn:
            if right == .bool || right == .number {
                problem("\"\(op)\" looks in a list, a string or an object; \(rhs) is \(right)", at: rhs.startOffset)
            }
        case .equal, .notEqual:
            break
        }
        checkWeekday(lhs, rhs)
        checkWeekday(rhs, lhs)
    }

    /// `weekday(now) == "monday"` would never hold: weekday gives `mon` … `sun`.
    private mutating func checkWeekday(_ call: Expression, _ other: Expression) {
        guard case .call(ExpressionFunction.weekday.rawValue, _, _) = call else { return }
        let literals: [(String, Int)]
        switch other {
        case .literal(.string(let text), let offset): literals = [(text, offset)]
        case .list(let items, _):
            literals = items.compactMap { item in
                if case .literal(.string(let text), let offset) = item { return (text, offset) }
                return nil
            }
        default: literals = []
        }
        for (text, offset) in literals where !LocalTime.weekdays.contains(text) {
            problem(
                "weekday() gives \(LocalTime.weekdays.joined(separator: ", ")); \"\(text)\" never matches", at: offset)
        }
    }

    private static func isWholeNumber(_ key: Expression, _ type: ExpressionType) -> Bool {
        guard case .literal(let value, _) = key else { return type.canBeNumber }
        return value.wholeNumber != nil
    }

    private mutating func call(_ function: ExpressionFunction, _ arguments: [Expression], offset: Int) -> ExpressionType
    {
        let types = arguments.map { type(of: $0) }
        func require(_ index: Int, _ wanted: String, _ accepts: (ExpressionType) -> Bool) {
            guard index < types.count, !accepts(types[index]) else { return }
            problem(
                "\(function.rawValue)() takes \(wanted); \(arguments[index]) is \(types[index])",
                at: arguments[index].startOffset)
        }
        let text: (ExpressionType) -> Bool = { $0.canBeText }
        let list: (ExpressionType) -> Bool = { $0.canBeList }
        let number: (ExpressionType) -> Bool = { $0.canBeNumber }
        switch function {
        case .len:
            require(0, "a list, an object or a string") { $0 != .bool && $0 != .number }
            return .number
        case .any, .all:
            require(0, "a list") { list($0) }
            return .bool
        case .sum, .min, .max:
            require(0, "a list of numbers") { $0.element.map(number) ?? false }
            return .number
        case .first, .last:
            require(0, "a list") { list($0) }
            return types.first?.element ?? .unknown
        case .keys:
            require(0, "an object") {
                switch $0 {
                case .object, .record, .unknown, .null: true
                default: false
                }
            }
            return .list(.string)
        case .lower, .upper, .trim, .replace:
            for index in types.indices { require(index, "text", text) }
            return .string
        case .startswith, .endswith:
            for index in types.indices { require(index, "text", text) }
            return .bool
        case .split:
            for index in types.indices { require(index, "text", text) }
            return .list(.string)
        case .join:
            require(0, "a list", list)
            require(1, "a separator string", text)
            return .string
        case .number, .abs, .round:
            require(0, "a number or numeric text", number)
            return .number
        case .string:
            require(0, "a number, a boolean or text", text)
            return .string
        case .time:
            require(0, "an RFC 3339 time such as alert.startsAt", text)
            return .number
        case .duration:
            require(0, "a duration such as \"5m\"", text)
            if case .literal(.string(let literal), let at) = arguments[0], Duration(runbook: literal) == nil {
                problem("\(DurationSyntaxError(text: literal))", at: at)
            }
            return .number
        case .hour, .minute, .weekday, .timeOfDay:
            require(0, "a time in seconds, such as now or time(alert.startsAt)", number)
            require(1, "a time zone name such as \"Europe/Berlin\"", text)
            if arguments.count > 1, case .literal(.string(let zone), let at) = arguments[1],
                !LocalTime.isKnownZone(zone)
            {
                problem("unknown time zone \"\(zone)\"; use an IANA name such as \"Europe/Berlin\" or \"UTC\"", at: at)
            }
            return function == .hour || function == .minute ? .number : .string
        }
    }

    private mutating func requireNumber(_ operand: Expression, for what: String) {
        let type = type(of: operand)
        if !type.canBeNumber {
            problem("\(what) needs numbers; \(operand) is \(type)", at: operand.startOffset)
        } else if case .literal(.string(let text), let offset) = operand, DecimalText.parse(text) == nil {
            problem("\(what) needs numbers; \"\(text)\" is not one", at: offset)
        }
    }
}
