import RunbookCore
import Testing

@Suite("Query steps: alert values rendered into PromQL")
struct PromQLRenderingTests {
    private func render(_ query: String, _ value: ExpressionValue) throws -> Result<String, PromQLRendering.Refusal> {
        let interpolation = try Interpolation.parse(query)
        return PromQLRendering.render(interpolation) { _ in value }
    }

    @Test(
        "inside a quoted string a value is escaped; a raw string refuses a backtick; elsewhere only numbers go in",
        arguments: [
            ("up{instance=\"{{ x }}\"}", ExpressionValue.string("db-1"), "up{instance=\"db-1\"}"),
            ("up{instance=\"{{ x }}\"}", .string("a\"} or vector(1) #"), "up{instance=\"a\\\"} or vector(1) #\"}"),
            ("up{instance='{{ x }}'}", .string("it's\\"), "up{instance='it\\'s\\\\'}"),
            ("up{job=\"{{ x }}\"}", .string("two\nlines\t"), "up{job=\"two\\nlines\\t\"}"),
            ("up{job=\"{{ x }}\"}", .string("crlf\r\nx"), "up{job=\"crlf\\r\\nx\"}"),
            ("up{job=\"a\\\"{{ x }}\"}", .string("\""), "up{job=\"a\\\"\\\"\"}"),
            ("up{job=`{{ x }}`}", .string("raw\\d"), "up{job=`raw\\d`}"),
            ("lag > {{ x }}", .number(30), "lag > 30"),
            ("lag > {{ x }}", .string("0.5"), "lag > 0.5"),
            ("lag > {{ x }}", .string("1e3"), "lag > 1e3"),
        ])
    func rendered(query: String, value: ExpressionValue, expected: String) throws {
        #expect(try render(query, value) == .success(expected))
    }

    @Test(
        "values that could change the query are refused with the reason",
        arguments: [
            (
                "lag > {{ x }}", ExpressionValue.string("0 or vector(1)"),
                "{{ x }} is \"0 or vector(1)\", which is not a number; outside a quoted string a query takes only numbers from {{ }}"
            ),
            (
                "lag > {{ x }}", .string("Inf"),
                "{{ x }} is \"Inf\", which is not a number; outside a quoted string a query takes only numbers from {{ }}"
            ),
            (
                "up{job=`{{ x }}`}", .string("a`b"),
                "{{ x }} is \"a`b\", which holds a backtick and sits in a `raw string`, which cannot escape it"
            ),
            ("up{job=\"{{ x }}\"}", .string("a\u{1}b"), "{{ x }} is \"a\u{1}b\", which holds a control character"),
        ])
    func refused(query: String, value: ExpressionValue, message: String) throws {
        guard case .failure(let refusal) = try render(query, value) else {
            Issue.record("\(query) with \(value) was not refused")
            return
        }
        #expect(refusal.description == message)
    }
}
