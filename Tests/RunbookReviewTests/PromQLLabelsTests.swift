import RunbookReview
import Testing

/// Which labels an expression's result keeps, read from its text as Prometheus builds them.
struct PromQLLabelsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var fixed: [String: String]
        var possible: Set<String>
        var closed: Bool
        var testDescription: String { expression }
    }

    static let cases: [Case] = [
        Case(expression: #"up{job="node"} == 0"#, fixed: ["job": "node"], possible: [], closed: false),
        Case(expression: "up == 0", fixed: [:], possible: [], closed: false),
        Case(
            expression: "sum by (service, env) (rate(errors_total[5m])) > 1", fixed: [:],
            possible: ["service", "env"], closed: true),
        Case(
            expression: #"sum(rate(errors_total{env="prod"}[5m])) by (env, service) > 1"#, fixed: ["env": "prod"],
            possible: ["service"], closed: true),
        Case(expression: "count(up == 0) > 3", fixed: [:], possible: [], closed: true),
        Case(
            expression: #"sum without (instance) (up{job="api"}) < 2"#, fixed: ["job": "api"], possible: [],
            closed: false),
        Case(
            expression: "histogram_quantile(0.99, sum by (le, service) (rate(latency_bucket[5m]))) > 0.5",
            fixed: [:], possible: ["service"], closed: true),
        Case(
            expression: #"absent(up{job="node", instance=~".+"})"#, fixed: ["job": "node"], possible: [],
            closed: true),
        Case(
            expression: #"absent_over_time(heartbeat{job="cron"}[30m])"#, fixed: ["job": "cron"], possible: [],
            closed: true),
        Case(
            expression: "sum by (service) (a) / sum by (service) (b) > 0.01", fixed: [:], possible: ["service"],
            closed: true),
        Case(expression: #"a{x="1"} and on (x) b"#, fixed: ["x": "1"], possible: [], closed: false),
        Case(
            expression: "sum by (a) (x) or sum by (b) (y)", fixed: [:], possible: ["a", "b"], closed: true),
        Case(
            expression: #"label_replace(up, "host", "$1", "instance", "(.*):.*") == 0"#, fixed: [:],
            possible: ["host"], closed: false),
        Case(
            expression: "max by (stanza, host) (time() - backup_last_success_seconds) / 3600 > 26", fixed: [:],
            possible: ["stanza", "host"], closed: true),
        Case(
            expression: "topk(3, sum by (pod) (rate(cpu[5m])))", fixed: [:], possible: ["pod"], closed: true),
        Case(expression: "vector(1)", fixed: [:], possible: [], closed: true),
        Case(
            expression: "rate(errors[5m]) offset 1h > 0 # a comment with by (x)", fixed: [:], possible: [],
            closed: false),
        Case(
            expression: "sum by (a) (x) * on (a) group_left (owner) team_info", fixed: [:],
            possible: ["a", "owner"], closed: true),
        Case(expression: "1 - sum by (a) (x)", fixed: [:], possible: ["a"], closed: true),
        Case(expression: "predict_linear(disk_free[6h], 4 * 3600) < 0", fixed: [:], possible: [], closed: false),
        Case(expression: "count_values(\"version\", build_info)", fixed: [:], possible: ["version"], closed: true),
    ]

    @Test("labels an expression keeps", arguments: cases)
    func labels(_ example: Case) {
        let found = PromQLLabels.of(example.expression)
        #expect(found.fixed == example.fixed)
        #expect(found.possible == example.possible)
        #expect(found.closed == example.closed)
    }

    @Test("text that is not PromQL rbx reads says nothing: any label may be present")
    func unreadable() {
        for text in ["", "((", "sum by (", "foo{bar=", "@@@", String(repeating: "(", count: 500) + "x"] {
            #expect(PromQLLabels.of(text) == .unknown, "\(text)")
        }
    }
}
