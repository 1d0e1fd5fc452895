/// What an alerting rule's expression tells about the labels of the alerts it fires, as far as
/// the text shows it: which labels have a known value, which may be present with a value only
/// the data decides, and whether that is all of them.
///
/// `up{job="node"} == 0` keeps every label of the `up` series: open, with `job` known.
/// `sum by (namespace) (rate(errors[5m])) > 1` keeps `namespace` alone: closed.
public struct SeriesLabels: Sendable, Equatable {
    /// Labels whose value the expression fixes (`job="node"` in a selector that survives).
    public var fixed: [String: String]
    /// Labels that may be present, with values the series decide.
    public var possible: Set<String>
    /// True when no label beyond `fixed` and `possible` can be present.
    public var closed: Bool
    /// A number, not a vector (`0.5` in `x > 0.5`): the other side of an operator decides.
    var isScalar = false

    public init(fixed: [String: String] = [:], possible: Set<String> = [], closed: Bool) {
        self.fixed = fixed
        self.possible = possible.subtracting(fixed.keys)
        self.closed = closed
    }

    /// Nothing known: any label, any value. What an expression rbx cannot read yields, so a
    /// rule is never said to lack a label it may well set.
    public static let unknown = SeriesLabels(closed: false)

    static let scalar: SeriesLabels = {
        var labels = SeriesLabels(closed: true)
        labels.isScalar = true
        return labels
    }()

    /// Every label name that can be present when the set is closed.
    var names: Set<String> { possible.union(fixed.keys) }

    /// Keeps only `kept` (`sum by (kept)`, `on (kept)`): a closed set.
    func keeping(_ kept: [String]) -> SeriesLabels {
        let wanted = Set(kept)
        return SeriesLabels(
            fixed: fixed.filter { wanted.contains($0.key) },
            possible: closed ? names.intersection(wanted) : wanted, closed: true)
    }

    /// Drops `dropped` (`without (dropped)`, `ignoring`, `le` in `histogram_quantile`).
    func dropping(_ dropped: [String]) -> SeriesLabels {
        let unwanted = Set(dropped)
        var result = SeriesLabels(
            fixed: fixed.filter { !unwanted.contains($0.key) }, possible: possible.subtracting(unwanted), closed: closed
        )
        result.isScalar = isScalar
        return result
    }

    /// Adds labels the expression sets to values rbx cannot know (`label_replace`, `group_left`).
    func adding(_ added: [String]) -> SeriesLabels {
        var result = self
        for name in added {
            result.fixed[name] = nil
            result.possible.insert(name)
        }
        return result
    }

    /// Either side of `or`: a label is fixed only where both sides fix it alike.
    func union(_ other: SeriesLabels) -> SeriesLabels {
        let agreed = fixed.filter { other.fixed[$0.key] == $0.value }
        return SeriesLabels(
            fixed: agreed, possible: names.union(other.names).subtracting(agreed.keys),
            closed: closed && other.closed)
    }
}
