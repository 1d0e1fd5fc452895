/// What a Prometheus instant query returned, typed, as `steps.ID.value`, `.samples` and
/// `.result_type` show it.
///
/// A value that is not a finite number (`NaN`, `+Inf`) is `null`: no comparison holds for it,
/// so a check on a broken series never passes by accident, and JSON (the store, the evidence)
/// can carry it.
public struct QueryResult: Sendable, Equatable, Codable {
    /// One element of an instant vector: its labels (`__name__` included when Prometheus sent
    /// it) and its value.
    public struct Sample: Sendable, Equatable, Codable {
        public var labels: [String: String]
        public var value: Double?

        public init(labels: [String: String], value: Double?) {
            self.labels = labels
            self.value = value
        }

        var expressionValue: ExpressionValue {
            .object([
                "labels": .object(labels.mapValues(ExpressionValue.string)),
                "value": value.map(ExpressionValue.number) ?? .null,
            ])
        }
    }

    /// `scalar`, `vector` or `string` (a range query's `matrix` is not asked for).
    public var resultType: String
    /// A scalar's value, or the value of a vector with exactly one sample; nil otherwise.
    public var value: Double?
    public var samples: [Sample]
    /// The rendered query and the server asked, for the timeline and the evidence.
    public var query: String
    public var server: String

    public init(resultType: String, value: Double?, samples: [Sample] = [], query: String = "", server: String = "") {
        self.resultType = resultType
        self.value = value
        self.samples = samples
        self.query = query
        self.server = server
    }

    /// A vector result: its value is that of its only sample.
    public static func vector(_ samples: [Sample], query: String = "", server: String = "") -> QueryResult {
        QueryResult(
            resultType: "vector", value: samples.count == 1 ? samples[0].value : nil, samples: samples, query: query,
            server: server)
    }

    /// `steps.ID.value`, `.samples` or `.result_type`; nil for any other field.
    public func field(_ name: String) -> ExpressionValue? {
        switch name {
        case "value": value.map(ExpressionValue.number) ?? .null
        case "samples": .list(samples.map(\.expressionValue))
        case "result_type": .string(resultType)
        default: nil
        }
    }

    /// `42`, `3 samples`, `no samples`: a short account for the timeline.
    public var summary: String {
        if resultType == "scalar" || samples.count == 1 {
            return "value " + (value.map { ExpressionValue.number($0).text } ?? "null (not a finite number)")
        }
        return samples.isEmpty ? "no samples (value null)" : "\(samples.count) samples"
    }

    /// The lint types of the fields, one list with ``field(_:)``.
    public static let fieldTypes: [String: ExpressionType] = [
        "value": .number,
        "samples": .list(.record(["labels": .object(.string), "value": .number])),
        "result_type": .string,
    ]
}
