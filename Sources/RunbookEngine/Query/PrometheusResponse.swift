public import RunbookCore

/// Reads the answer of `/api/v1/query`: pure, so every shape Prometheus can send is tested
/// without a server.
///
/// ```json
/// {"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"db-1"},"value":[1.7e9,"3"]}]}}
/// {"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}
/// ```
/// Sample values arrive as strings (`"3"`, `"NaN"`, `"+Inf"`); one that is not a finite number
/// is kept as `null` (see ``QueryResult``). A `matrix` (a range selector such as `up[5m]`)
/// is refused: a check compares one value per series.
public enum PrometheusResponse {
    /// - Parameter status: the HTTP status; Prometheus sends its error JSON with 400, 422 or 503.
    /// - Throws: ``PrometheusQueryError`` `.prometheus` for `status: error`, `.http` for a
    ///   non-2xx answer without one, `.malformed` for anything that is not the API's JSON.
    public static func parse(
        _ body: [UInt8], status: Int, query: String = "", server: String = ""
    ) throws(PrometheusQueryError) -> QueryResult {
        let document = try? JSONValue.parse(body)
        if let document, case .string("error")? = document["status"] {
            let type = document["errorType"].flatMap(Self.text) ?? "error"
            let detail = document["error"].flatMap(Self.text) ?? "no detail"
            throw PrometheusQueryError(
                code: .prometheus, message: "Prometheus refused the query (HTTP \(status), \(type)): \(detail)")
        }
        guard (200..<300).contains(status) else {
            throw PrometheusQueryError(code: .http, message: "Prometheus answered HTTP \(status)")
        }
        guard let document, case .string("success")? = document["status"], let data = document["data"],
            case .string(let type)? = data["resultType"], let result = data["result"]
        else {
            throw malformed("not a Prometheus API answer (no status success with data.resultType and data.result)")
        }
        switch (type, result) {
        case ("scalar", .array(let pair)), ("string", .array(let pair)):
            guard pair.count == 2 else { throw malformed("a \(type) result is [time, value]") }
            if type == "string" {
                throw malformed("the query gives a string; a check needs a number (scalar or vector)")
            }
            return QueryResult(resultType: "scalar", value: try number(pair[1]), query: query, server: server)
        case ("vector", .array(let items)):
            var samples: [QueryResult.Sample] = []
            samples.reserveCapacity(items.count)
            for item in items {
                guard case .object(let metric)? = item["metric"], case .array(let pair)? = item["value"],
                    pair.count == 2
                else { throw malformed("a vector sample is {metric: {...}, value: [time, value]}") }
                var labels: [String: String] = [:]
                for (name, value) in metric {
                    guard case .string(let text) = value else { throw malformed("label \(name) is not a string") }
                    labels[name] = text
                }
                samples.append(QueryResult.Sample(labels: labels, value: try number(pair[1])))
            }
            return .vector(samples, query: query, server: server)
        case ("matrix", _):
            throw malformed(
                "the query gives a range vector (matrix); an instant check needs a scalar or a vector: wrap the range "
                    + "selector in a function, e.g. max_over_time(x[5m])")
        default:
            throw malformed("result type \(type) with \(result.kindName)")
        }
    }

    /// A sample value: a string holding a number; `NaN` and infinities are null.
    private static func number(_ value: JSONValue) throws(PrometheusQueryError) -> Double? {
        let text: String
        switch value {
        case .string(let string): text = string
        case .number(let number): text = number
        default: throw malformed("a sample value is \(value.kindName), not a number in a string")
        }
        guard let number = Double(text) else {
            throw malformed("a sample value \"\(text.prefix(40))\" is not a number")
        }
        return number.isFinite ? number : nil
    }

    private static func text(_ value: JSONValue) -> String? {
        if case .string(let text) = value { return String(text.prefix(500)) }
        return nil
    }

    private static func malformed(_ message: String) -> PrometheusQueryError {
        PrometheusQueryError(code: .malformed, message: "Prometheus' answer is malformed: " + message)
    }
}
