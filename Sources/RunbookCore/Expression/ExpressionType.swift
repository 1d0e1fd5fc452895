/// What lint knows about a value before the run: enough to refuse `len(alert.labels.env > 3)`
/// or `steps.df.outputs.mounts * 2` at the column, and nothing it cannot know (`unknown`, for
/// JSON outputs, passes every check and is checked by the evaluation's `null` instead).
public indirect enum ExpressionType: Sendable, Hashable, CustomStringConvertible {
    case unknown
    case null
    case bool
    case number
    /// Text; it may hold a number (`alert.labels.threshold`), so arithmetic accepts it.
    case string
    case list(ExpressionType)
    /// Members of one type under any names: `alert.labels`.
    case object(ExpressionType)
    /// Members with known names and types: a Prometheus sample.
    case record([String: ExpressionType])

    public var description: String {
        switch self {
        case .unknown: "a value"
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .list(.unknown): "a list"
        case .list(let element): "a list of " + element.plural
        case .object, .record: "an object"
        }
    }

    private var plural: String {
        switch self {
        case .bool: "booleans"
        case .number: "numbers"
        case .string: "strings"
        case .list: "lists"
        case .object, .record: "objects"
        case .unknown, .null: "values"
        }
    }

    /// Whether a value of this type can stand for a number (numbers, numeric text, unknown).
    var canBeNumber: Bool {
        switch self {
        case .unknown, .number, .string, .null: true
        case .bool, .list, .object, .record: false
        }
    }

    var canBeList: Bool {
        switch self {
        case .unknown, .list, .null: true
        default: false
        }
    }

    var canBeText: Bool {
        switch self {
        case .unknown, .string, .number, .bool, .null: true
        case .list, .object, .record: false
        }
    }

    /// The type of `value[key]` or `value.name`, or nil when it cannot have one.
    func member(_ name: String?) -> ExpressionType? {
        switch self {
        case .unknown, .null: .unknown
        case .object(let element): element
        case .record(let fields): name.map { fields[$0] ?? .null } ?? .unknown
        default: nil
        }
    }

    /// The type of an element, for a list (and `unknown`); nil for anything else.
    var element: ExpressionType? {
        switch self {
        case .unknown, .null: .unknown
        case .list(let element): element
        default: nil
        }
    }

    /// The type of a literal value.
    public init(of value: ExpressionValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .bool
        case .number: self = .number
        case .string: self = .string
        case .list(let items): self = .list(items.first.map(ExpressionType.init(of:)) ?? .unknown)
        case .object: self = .object(.unknown)
        }
    }
}
