/// Values to and from JSON: structured outputs read JSON, and step results keep their
/// outputs as JSON in the store and the evidence (a string output stays a JSON string, so
/// records written before outputs had types read back unchanged).
extension ExpressionValue: Codable {
    public init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let value): self = .bool(value)
        case .number(let text): self = Double(text).map(ExpressionValue.number) ?? .string(text)
        case .string(let value): self = .string(value)
        case .array(let items): self = .list(items.map(ExpressionValue.init(json:)))
        case .object(let members):
            var object: [String: ExpressionValue] = [:]
            for member in members { object[member.key] = ExpressionValue(json: member.value) }
            self = .object(object)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ExpressionValue].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: ExpressionValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try value.isFinite ? container.encode(value) : container.encodeNil()
        case .string(let value): try container.encode(value)
        case .list(let values): try container.encode(values)
        case .object(let members): try container.encode(members)
        }
    }

    /// What the value is, for messages: "a number", "a list" …
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .list: "a list"
        case .object: "an object"
        }
    }
}
