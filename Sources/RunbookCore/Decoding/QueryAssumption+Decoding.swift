internal import RunbookYAML

extension DocumentDecoder {
    /// An assumed query result in a test: `{value: 42}` (a scalar), `{value: null}`, or
    /// `{samples: [{labels: {instance: db-1}, value: 3}]}` (a vector, whose `value` is that of
    /// its only sample). Nil when the entry assumes no query result.
    mutating func assumedQuery(_ entry: MappingFields, in what: String) -> QueryResult? {
        let hasValue = entry.has("value")
        guard hasValue || entry.has("samples") else { return nil }
        if hasValue && entry.has("samples") {
            error(
                "assume",
                "\(what): give value (a scalar) or samples (a vector), not both; a vector's value is that "
                    + "of its only sample", at: entry.node.location)
            return nil
        }
        if let valueNode = entry["value"] {
            if valueNode.scalar?.isNull == true { return QueryResult(resultType: "scalar", value: nil) }
            guard let number = number(valueNode, "\(what).value") else { return nil }
            return QueryResult(resultType: "scalar", value: number)
        }
        var samples: [QueryResult.Sample] = []
        for item in list(entry["samples"], "\(what).samples") ?? [] {
            guard let fields = fields(item, allowed: FormatKeys.testSample, in: "\(what).samples entry") else {
                continue
            }
            var labels: [String: String] = [:]
            for (name, node) in stringMap(fields["labels"], "\(what).samples labels") ?? [] {
                labels[name.value] = string(node, "label \(name.value)")?.value
            }
            let value = fields["value"].flatMap {
                $0.scalar?.isNull == true ? nil : number($0, "\(what).samples value")
            }
            samples.append(QueryResult.Sample(labels: labels, value: value))
        }
        return .vector(samples)
    }

    /// A YAML number (`42`, `0.05`, `-1e3`).
    private mutating func number(_ node: YAMLNode, _ what: String) -> Double? {
        guard let text = string(node, what) else { return nil }
        guard let number = Double(text.value), number.isFinite else {
            error("type", "\(what) must be a number, found \"\(text.value)\"", at: text.location)
            return nil
        }
        return number
    }
}
