internal import RunbookYAML

/// A YAML subtree as JSON text, so an alert written inline in a test file goes through the
/// same ``AlertDecoder`` as one posted to intake. Scalars become JSON strings (`code: 500` is
/// the label value "500", as in Alertmanager); null scalars become `null`.
enum YAMLJSON {
    static func text(_ node: YAMLNode) -> String {
        var output = ""
        write(node, into: &output)
        return output
    }

    private static func write(_ node: YAMLNode, into output: inout String) {
        switch node.content {
        case .scalar(let scalar):
            if scalar.isNull { output += "null" } else { quote(scalar.value, into: &output) }
        case .sequence(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += "," }
                write(item, into: &output)
            }
            output += "]"
        case .mapping(let entries):
            output += "{"
            for (index, entry) in entries.enumerated() {
                if index > 0 { output += "," }
                quote(entry.key, into: &output)
                output += ":"
                write(entry.value, into: &output)
            }
            output += "}"
        }
    }

    private static func quote(_ text: String, into output: inout String) {
        JSONString.append(text, to: &output)
    }
}
