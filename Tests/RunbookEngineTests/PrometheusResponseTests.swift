import RunbookCore
import RunbookEngine
import Testing

@Suite("Query steps: reading Prometheus' answer")
struct PrometheusResponseTests {
    private func parse(_ body: String, status: Int = 200) throws(PrometheusQueryError) -> QueryResult {
        try PrometheusResponse.parse(Array(body.utf8), status: status, query: "q", server: "main")
    }

    @Test("a scalar is the value; a vector gives samples with labels, and the value of its only sample")
    func results() throws {
        let scalar = try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1.7e9,"3"]}}"#)
        #expect(scalar == QueryResult(resultType: "scalar", value: 3, query: "q", server: "main"))
        let one = try parse(
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"instance":"db-1"},"value":[1.7e9,"7.5"]}]}}"#
        )
        #expect(one.value == 7.5)
        #expect(one.samples == [.init(labels: ["instance": "db-1"], value: 7.5)])
        #expect(
            one.field("samples")
                == .list([.object(["labels": .object(["instance": .string("db-1")]), "value": .number(7.5)])]))
        let two = try parse(
            #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}"#
        )
        #expect(two.value == nil)
        #expect(two.samples.map(\.value) == [1, 2])
        #expect(two.summary == "2 samples")
        let none = try parse(#"{"status":"success","data":{"resultType":"vector","result":[]}}"#)
        #expect(none.value == nil && none.samples.isEmpty)
        #expect(none.summary == "no samples (value null)")
    }

    @Test("NaN and infinities are null, which no comparison holds for", arguments: ["NaN", "+Inf", "-Inf"])
    func nonFinite(value: String) throws {
        let result = try parse(#"{"status":"success","data":{"resultType":"scalar","result":[1,"\#(value)"]}}"#)
        #expect(result.value == nil)
        #expect(result.field("value") == .null)
        #expect(result.summary == "value null (not a finite number)")
    }

    @Test(
        "errors say what went wrong, Prometheus' own errorType and error included",
        arguments: [
            (
                #"{"status":"error","errorType":"bad_data","error":"1:5: parse error: unclosed left parenthesis"}"#,
                400,
                "Prometheus refused the query (HTTP 400, bad_data): 1:5: parse error: unclosed left parenthesis"
            ),
            ("<html>bad gateway</html>", 502, "Prometheus answered HTTP 502"),
            (
                "not json", 200,
                "Prometheus' answer is malformed: not a Prometheus API answer (no status success with data.resultType and data.result)"
            ),
            (
                #"{"status":"success","data":{"resultType":"matrix","result":[]}}"#, 200,
                "Prometheus' answer is malformed: the query gives a range vector (matrix); an instant check needs a scalar or a vector: wrap the range selector in a function, e.g. max_over_time(x[5m])"
            ),
            (
                #"{"status":"success","data":{"resultType":"scalar","result":[1,"many"]}}"#, 200,
                "Prometheus' answer is malformed: a sample value \"many\" is not a number"
            ),
            (
                #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":1},"value":[1,"1"]}]}}"#,
                200,
                "Prometheus' answer is malformed: label a is not a string"
            ),
        ])
    func errors(body: String, status: Int, message: String) {
        #expect(throws: PrometheusQueryError.self) { try parse(body, status: status) }
        do {
            _ = try parse(body, status: status)
        } catch {
            #expect(error.message == message)
        }
    }
}
