import Foundation
import RunbookCore
import Testing

/// Alert groups for `/api/v2/alerts/groups`: the runbook rbx routes an alert to, and the
/// values of the labels that runbook matches on, in Alertmanager's order.
struct AlertGroupingTests {
    static let runbooks = [
        "disk.yaml": """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: {name: disk}
        match:
          labels: {alertname: DiskFull, env: "=~prod|staging"}
        steps:
          - {id: look, kind: diagnostic, run: ["/bin/true"]}

        """,
        "down.yaml": """
        apiVersion: rbx/v1
        kind: Runbook
        metadata: {name: down}
        match:
          labels: {alertname: InstanceDown, zone: "!=lab"}
        steps:
          - {id: look, kind: diagnostic, run: ["/bin/true"]}

        """,
    ]

    private func catalog() async throws -> Catalog {
        let directory = try TestCatalog.make(runbooks: [])
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in Self.runbooks {
            try text.write(to: directory.appendingPathComponent("runbooks/\(name)"), atomically: true, encoding: .utf8)
        }
        let catalog = try await CatalogLoader.load(directory: directory.path)
        #expect(!catalog.hasErrors, "\(catalog.diagnostics)")
        return catalog
    }

    private func alert(_ labels: [String: String]) -> Alert {
        Alert(
            fingerprint: labels.sorted { $0.key < $1.key }.description, name: labels["alertname"] ?? "",
            source: "prometheus", severity: nil, rawSeverity: nil, status: .firing, labels: labels)
    }

    @Test(
        "an alert's group is its runbook and that runbook's matched labels it carries; unrouted alerts share one",
        arguments: [
            (
                ["alertname": "DiskFull", "env": "prod", "instance": "a"], "disk",
                ["alertname": "DiskFull", "env": "prod"]
            ),
            (["alertname": "DiskFull", "env": "dev"], "rbx", [:]),
            // A label matched as "not equal" may be absent: the group leaves it out.
            (["alertname": "InstanceDown", "instance": "w"], "down", ["alertname": "InstanceDown"]),
            (["alertname": "InstanceDown", "zone": "eu"], "down", ["alertname": "InstanceDown", "zone": "eu"]),
            (["alertname": "InstanceDown", "zone": "lab"], "rbx", [:]),
        ])
    func keys(labels: [String: String], receiver: String, groupLabels: [String: String]) async throws {
        let key = AlertGrouping.key(for: alert(labels), in: try await catalog())
        #expect(key == AlertGrouping.Key(receiver: receiver, labels: groupLabels))
    }

    @Test("groups and their alerts come in Alertmanager's order")
    func order() async throws {
        let alerts = [
            ["alertname": "DiskFull", "env": "staging", "instance": "s"],
            ["alertname": "Other"],
            ["alertname": "DiskFull", "env": "prod", "instance": "b", "job": "node"],
            ["alertname": "DiskFull", "env": "prod", "instance": "a"],
            ["alertname": "DiskFull", "env": "prod", "instance": "c", "job": "node"],
            ["alertname": "InstanceDown", "instance": "w"],
        ].map(alert)
        let groups = AlertGrouping.groups(alerts, in: try await catalog()) { $0 }
        #expect(groups.map(\.key.receiver) == ["rbx", "down", "disk", "disk"])
        #expect(groups.map { $0.key.labels["env"] ?? "-" } == ["-", "-", "prod", "staging"])
        // job first (an alert without it last), then instance.
        #expect(groups[2].items.map { $0.labels["instance"] ?? "" } == ["b", "c", "a"])
    }

    @Test(
        "label sets order as Alertmanager's LabelSet.Before",
        arguments: [
            ([:], ["a": "1"], true),
            (["a": "1"], [:], false),
            (["a": "1"], ["a": "2"], true),
            (["a": "2"], ["b": "1"], false),  // b is missing on the left: the right one first
            (["b": "1"], ["a": "2"], true),
            (["a": "1"], ["a": "1"], false),
        ])
    func labelSetOrder(left: [String: String], right: [String: String], precedes: Bool) {
        #expect(AlertGrouping.precedes(left, right) == precedes)
    }
}
