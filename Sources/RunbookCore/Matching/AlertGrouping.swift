/// How alerts are grouped for Alertmanager's `GET /api/v2/alerts/groups`, so dashboards built
/// for Alertmanager (Karma, Grafana's Alertmanager data source) show rbx's alerts the way rbx
/// handles them.
///
/// Alertmanager groups an alert under the route that takes it (the group's receiver) and the
/// values of that route's `group_by` labels. rbx's routing is its runbooks: an alert belongs to
/// the runbook ``RunbookMatcher`` selects for it (``unrouted`` when none does), and its group
/// labels are the alert's values of the label names that runbook's `match.labels` names — the
/// labels rbx routes on — with a name the alert lacks left out, as Alertmanager does. The order
/// of groups and of alerts within a group is Alertmanager's (``precedes(_:_:)``).
public enum AlertGrouping {
    /// The receiver of alerts no runbook handles.
    public static let unrouted = "rbx"

    /// One group: the runbook that handles its alerts, and their shared values of its labels.
    public struct Key: Hashable, Sendable {
        public var receiver: String
        public var labels: [String: String]

        public init(receiver: String, labels: [String: String]) {
            self.receiver = receiver
            self.labels = labels
        }
    }

    /// The group `alert` belongs to in `catalog`.
    public static func key(for alert: Alert, in catalog: Catalog) -> Key {
        guard let runbook = RunbookMatcher.selectedRunbook(for: alert, in: catalog) else {
            return Key(receiver: unrouted, labels: [:])
        }
        var labels: [String: String] = [:]
        for matcher in runbook.match.labels {
            if let value = alert.labels[matcher.name] { labels[matcher.name] = value }
        }
        return Key(receiver: runbook.name, labels: labels)
    }

    /// `items` in their groups, groups and items in Alertmanager's order.
    public static func groups<Item>(
        _ items: [Item], in catalog: Catalog, alert: (Item) -> Alert
    ) -> [(key: Key, items: [Item])] {
        var order: [Key] = []
        var members: [Key: [Item]] = [:]
        for item in items {
            let key = key(for: alert(item), in: catalog)
            if members[key] == nil { order.append(key) }
            members[key, default: []].append(item)
        }
        order.sort { left, right in
            left.labels == right.labels ? left.receiver < right.receiver : precedes(left.labels, right.labels)
        }
        return order.map { key in
            (key, (members[key] ?? []).sorted { alertPrecedes(alert($0).labels, alert($1).labels) })
        }
    }

    /// Alertmanager's order of label sets (`model.LabelSet.Before`): fewer labels first, then
    /// the first differing label, by name, where a set missing a name comes first.
    public static func precedes(_ left: [String: String], _ right: [String: String]) -> Bool {
        if left.count != right.count { return left.count < right.count }
        for name in Set(left.keys).union(right.keys).sorted() {
            guard let mine = left[name] else { return true }
            guard let theirs = right[name] else { return false }
            if mine != theirs { return mine < theirs }
        }
        return false
    }

    /// Alertmanager's order of alerts in a group (`types.AlertSlice`): by `job`, then
    /// `instance` (an alert that has the label first), then by all labels.
    public static func alertPrecedes(_ left: [String: String], _ right: [String: String]) -> Bool {
        for name in ["job", "instance"] {
            switch (left[name], right[name]) {
            case (nil, nil): continue
            case (nil, _): return false
            case (_, nil): return true
            case (let mine?, let theirs?) where mine != theirs: return mine < theirs
            default: continue
            }
        }
        return precedes(left, right)
    }
}
