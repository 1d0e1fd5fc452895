import RunbookCore
import Testing

/// The alert forms `rbx match` and the intake accept.
struct AlertDecoderTests {
    private func decode(_ json: String, config: CatalogConfig = CatalogConfig()) throws -> [Alert] {
        try AlertDecoder.decode(Array(json.utf8), config: config)
    }

    @Test(
        "each alert comes with its JSON object exactly as posted, in a list, a webhook payload, or alone",
        arguments: [
            (
                #"[ {"labels":{"alertname":"A"}} ,{ "labels" : {"alertname":"B","x":"[1]"} }]"#,
                [#"{"labels":{"alertname":"A"}}"#, #"{ "labels" : {"alertname":"B","x":"[1]"} }"#]
            ),
            (
                #"{"version":"4","status":"firing","groupLabels":{"a":[1]},"alerts":[ {"labels":{"alertname":"W"}} ]}"#,
                [#"{"labels":{"alertname":"W"}}"#]
            ),
            (#"{"name":"Plain","labels":{"host":"a"}}"#, [#"{"name":"Plain","labels":{"host":"a"}}"#]),
        ])
    func alertsAsReceived(body: String, expected: [String]) throws {
        let decoded = try AlertDecoder.decodeAsReceived(Array(body.utf8), config: CatalogConfig(), receivedAt: 0)
        #expect(decoded.accepted.map { String(decoding: $0.received, as: UTF8.self) } == expected)
    }

    @Test("an Alertmanager v2 postable alert")
    func postableAlert() throws {
        let alerts = try decode(
            #"{"labels":{"alertname":"HostDown","instance":"db-1:9100","severity":"critical","source":"prometheus"},"annotations":{"summary":"down"},"startsAt":"2026-11-22T10:15:00Z","generatorURL":"http://prom/graph"}"#
        )
        let alert = try #require(alerts.first)
        #expect(alert.name == "HostDown")
        #expect(alert.source == "prometheus")
        #expect(alert.severity == "P1")
        #expect(alert.rawSeverity == "critical")
        #expect(alert.status == .firing)
        #expect(alert.annotations["summary"] == "down")
        #expect(alert.generatorURL == "http://prom/graph")
    }

    /// amtool and Go clients send Go's zero time for "not set"; a plain API call sends none.
    @Test(
        "an alert without a real startsAt started when it was received; an endsAt before then resolves it",
        arguments: [
            #"{"labels":{"alertname":"A"}}"#,
            #"{"labels":{"alertname":"A"},"startsAt":"0001-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z"}"#,
            #"{"labels":{"alertname":"A"},"startsAt":""}"#,
        ])
    func receiptTime(_ json: String) throws {
        let received: Int64 = 1_796_558_400_000  // 2026-12-06T12:00:00Z
        let alert = try #require(
            try AlertDecoder.decode(Array(json.utf8), config: CatalogConfig(), receivedAt: received).first)
        #expect(alert.startsAt == "2026-12-06T12:00:00.000Z")
        #expect(alert.status == .firing)
        #expect(alert.endsAt == nil)
        let ended = #"{"labels":{"alertname":"A"},"endsAt":"2026-12-06T11:59:59Z"}"#
        #expect(
            try AlertDecoder.decode(Array(ended.utf8), config: CatalogConfig(), receivedAt: received).first?.status
                == .resolved)
        let rehearsed = try AlertDecoder.decode(Array(json.utf8), config: CatalogConfig()).first
        #expect(rehearsed?.startsAt == nil)
    }

    @Test("a webhook payload version 4 yields each of its alerts")
    func webhookPayload() throws {
        let alerts = try decode(
            #"{"version":"4","status":"resolved","receiver":"rbx","groupKey":"{}:{}","alerts":[{"status":"resolved","labels":{"alertname":"A"},"fingerprint":"0123456789abcdef"},{"labels":{"alertname":"B"}}]}"#
        )
        #expect(alerts.map(\.name) == ["A", "B"])
        #expect(alerts[0].fingerprint == "0123456789abcdef")
        #expect(alerts.map(\.status) == [.resolved, .resolved])
    }

    @Test(
        "a posted alert cannot take the fingerprint of a drill or a schedule tick",
        arguments: ["drill:0123456789abcdef", "schedule:backup-freshness"])
    func reservedFingerprint(_ fingerprint: String) throws {
        let body =
            #"[{"labels":{"alertname":"A"}},{"labels":{"alertname":"B"},"status":"resolved","fingerprint":"\#(fingerprint)"}]"#
        let batch = try AlertDecoder.decodeAsReceived(Array(body.utf8), config: CatalogConfig(), receivedAt: 0)
        #expect(batch.accepted.map(\.alert.name) == ["A"])
        #expect(batch.refused.map(\.field) == ["[1].fingerprint"])
    }

    @Test("a plain alert names its source and severity directly; the default source applies otherwise")
    func plainAlert() throws {
        var config = CatalogConfig()
        config.defaultSource = "intake"
        let plain = try decode(
            #"{"name":"QueueDepthHigh","source":"rabbitmq","severity":"warning","status":"firing","labels":{"queue":"mail"}}"#,
            config: config)
        #expect(plain.first?.source == "rabbitmq")
        #expect(plain.first?.severity == "P3")
        #expect(plain.first?.labels["alertname"] == "QueueDepthHigh")
        let bare = try decode(#"{"labels":{"alertname":"X"}}"#, config: config)
        #expect(bare.first?.source == "intake")
        #expect(bare.first?.severity == nil)
    }

    @Test("the fingerprint is Alertmanager's FNV-1a over the sorted label set")
    func fingerprint() {
        // Reference values computed by prometheus/common model.LabelSet.Fingerprint().
        #expect(AlertFingerprint.of([:]) == "cbf29ce484222325")
        // prometheus/common model/signature_test.go: 5799056148416392346 == 0x507a62d79ee76c9a.
        #expect(AlertFingerprint.of(["name": "garland, briggs", "fear": "love is not enough"]) == "507a62d79ee76c9a")
        #expect(
            AlertFingerprint.of(["alertname": "HostDown", "instance": "db-1"])
                == AlertFingerprint.of(["instance": "db-1", "alertname": "HostDown"]))
        #expect(AlertFingerprint.of(["a": "b"]) != AlertFingerprint.of(["a": "c"]))
    }

    @Test(
        "invalid alerts name the field",
        arguments: [
            (
                #"{"labels":{"alertname":"X","n":1}}"#,
                "labels.n: must be a string (label and annotation values are strings)"
            ),
            (
                #"{"labels":{"instance":"x"}}"#,
                "labels.alertname: an alert needs a name: the alertname label (or \"name\" in a plain alert)"
            ),
            (
                #"{"labels":{"alertname":"X"},"status":"burning"}"#,
                "status: must be \"firing\" or \"resolved\", found \"burning\""
            ),
            (#"[{"labels":{"alertname":"X"}}, 3]"#, "[1]: an alert must be a JSON object"),
            (
                #"{"version":"3","alerts":[]}"#,
                "version: webhook payload version \"3\" is not supported; rbx reads version 4"
            ),
            (#"{"labels":"#, "not valid JSON"),
        ])
    func invalidAlerts(_ json: String, _ message: String) {
        do {
            _ = try decode(json)
            Issue.record("expected an error for \(json)")
        } catch {
            #expect("\(error)".hasPrefix(message))
        }
    }
}

/// Issue 13, item 7: what Alertmanager's API refuses, rbx refuses, with the same status and
/// the index and field named; invalid alerts are refused one by one, the others are taken.
struct AlertValidationTests {
    @Test(
        arguments: [
            (#"{"labels":{"alertname":"A"}}"#, AlertDecodingError.Kind.malformed, nil as String?, "found an object"),
            (
                #"[{"labels":{"alertname":"A"},"startsAt":"garbage"}]"#, .malformed, "[0].startsAt",
                #""garbage" is not an RFC 3339 time"#
            ),
            (#"[{"labels":{"alertname":"A"},"endsAt":"yesterday"}]"#, .malformed, "[0].endsAt", "not an RFC 3339"),
            (#"[{"labels":{"alertname":5}}]"#, .malformed, "[0].labels.alertname", "must be a string"),
            (
                #"[{"labels":{"alertname":"A","alertname":"B"}}]"#, .malformed, "[0].labels.alertname",
                #"the key "alertname" appears twice"#
            ),
            (#"[{"labels":{"a":"1"},"labels":{"b":"2"}}]"#, .malformed, "[0].labels", "appears twice"),
            (#"[{}]"#, .incomplete, "[0].labels", "labels is required"),
            (
                #"[{"labels":{"alertname":"A"},"generatorURL":"not a url"}]"#, .incomplete, "[0].generatorURL",
                "must be a URI"
            ),
        ])
    func aBodyAlertmanagerCannotReadIsRefusedWhole(
        _ body: String, kind: AlertDecodingError.Kind, field: String?, message: String
    ) {
        do {
            let batch = try AlertDecoder.decodeAsReceived(
                Array(body.utf8), form: .alertmanager, config: CatalogConfig(), receivedAt: 0)
            Issue.record("expected \(kind) for \(body), got \(batch.accepted.count) taken")
        } catch {
            #expect(error.kind == kind)
            #expect(error.field == field)
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test(
        arguments: [
            (
                #"{"labels":{"alertname":"B"},"startsAt":"2026-01-02T00:00:00Z","endsAt":"2026-01-01T00:00:00Z"}"#,
                "[1].endsAt", "start time must be before end time"
            ),
            (#"{"labels":{"alertname":"B","1bad":"x"}}"#, "[1].labels", #"invalid name "1bad""#),
            (#"{"labels":{"alertname":"B","":"x"}}"#, "[1].labels", #"invalid name """#),
            (#"{"labels":{"alertname":"B","a.b":"x"}}"#, "[1].labels", #"invalid name "a.b""#),
            (#"{"labels":{"alertname":"B"},"annotations":{"bad name":"x"}}"#, "[1].annotations", "invalid name"),
            (#"{"labels":{"alertname":""}}"#, "[1].labels", "at least one label pair required"),
            (#"{"labels":{"instance":"x"}}"#, "[1].labels.alertname", "an alert needs a name"),
        ])
    func anInvalidAlertIsRefusedAloneAndTheOthersAreTaken(_ invalid: String, field: String, message: String) throws {
        let body = #"[{"labels":{"alertname":"A","empty":""}},"# + invalid + #",{"labels":{"alertname":"C"}}]"#
        let batch = try AlertDecoder.decodeAsReceived(
            Array(body.utf8), form: .alertmanager, config: CatalogConfig(), receivedAt: 0)
        #expect(batch.accepted.map(\.alert.name) == ["A", "C"])
        #expect(String(decoding: batch.accepted[1].received, as: UTF8.self) == #"{"labels":{"alertname":"C"}}"#)
        #expect(batch.accepted[0].alert.labels == ["alertname": "A"], "an empty value is no label, as in Alertmanager")
        #expect(batch.refused.map(\.field) == [field])
        #expect(batch.refused.first?.kind == .invalid)
        #expect(batch.refused.first?.message.contains(message) == true, "\(batch.refused)")
        // The strict form used by files and `rbx match` refuses the whole body.
        #expect(throws: AlertDecodingError.self) { try AlertDecoder.decode(Array(body.utf8), config: CatalogConfig()) }
    }

    @Test func utf8LabelNamesAreAcceptedWhenTheCatalogSaysSo() throws {
        var config = CatalogConfig()
        let body = #"[{"labels":{"alertname":"A","service.name":"ünï"}}]"#
        #expect(
            try AlertDecoder.decodeAsReceived(Array(body.utf8), form: .alertmanager, config: config, receivedAt: 0)
                .refused.count == 1)
        config.server.labelNames = .utf8
        let batch = try AlertDecoder.decodeAsReceived(
            Array(body.utf8), form: .alertmanager, config: config, receivedAt: 0)
        #expect(batch.refused.isEmpty)
        #expect(batch.accepted.first?.alert.labels["service.name"] == "ünï")
    }

    @Test func withoutAStartAnAlertStartedWhenItEndedAsInAlertmanager() throws {
        let body = #"[{"labels":{"alertname":"A"},"endsAt":"2026-01-01T00:00:00Z"}]"#
        let alert = try #require(
            try AlertDecoder.decodeAsReceived(
                Array(body.utf8), form: .alertmanager, config: CatalogConfig(), receivedAt: 1_796_558_400_000
            ).accepted.first?.alert)
        #expect(alert.startsAt == "2026-01-01T00:00:00Z")
        #expect(alert.status == .resolved)
    }

    @Test func nullIsNoAlertsForTheAlertmanagerAPIAndAWebhookMustBeAPayload() throws {
        #expect(
            try AlertDecoder.decodeAsReceived(
                Array("null".utf8), form: .alertmanager, config: CatalogConfig(), receivedAt: 0
            ).accepted.isEmpty)
        #expect(throws: AlertDecodingError.self) {
            try AlertDecoder.decodeAsReceived(
                Array(#"[{"labels":{"alertname":"A"}}]"#.utf8), form: .webhook, config: CatalogConfig(), receivedAt: 0)
        }
    }
}

/// What a real Prometheus sends to an Alertmanager: a list of alerts whose `endsAt` carries
/// nanoseconds; a past `endsAt` means resolved.
struct PrometheusAlertTests {
    @Test(
        "endsAt in the past (with nanoseconds) resolves; in the future or Go's zero time fires",
        arguments: [
            ("2001-01-01T00:00:00.123456789Z", Alert.Status.resolved),
            ("2001-01-01T01:00:00+01:00", .resolved),
            ("2999-01-01T00:00:00.5Z", .firing),
            ("0001-01-01T00:00:00Z", .firing),
        ])
    func endsAt(_ endsAt: String, _ status: Alert.Status) throws {
        let json =
            #"[{"labels":{"alertname":"Up","job":"node"},"annotations":{},"startsAt":"2000-12-31T23:00:00.987654321Z","endsAt":"\#(endsAt)","generatorURL":"http://prometheus:9090/graph?g0.expr=up"}]"#
        let alerts = try AlertDecoder.decode(Array(json.utf8), config: CatalogConfig())
        #expect(alerts.map(\.status) == [status])
    }
}
