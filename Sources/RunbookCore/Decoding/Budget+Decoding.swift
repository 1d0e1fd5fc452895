internal import RunbookYAML

extension DocumentDecoder {
    /// `budget: {max, per, key}`: a count of at least one in a window longer than 0s and at
    /// most ``Budget/longestWindow`` (the store keeps uses that long, and no longer).
    mutating func budget(_ node: YAMLNode?, _ what: String) -> Budget? {
        guard let node, let fields = fields(node, allowed: FormatKeys.budget, in: what) else { return nil }
        let max = integer(required(fields, "max"), "\(what).max", minimum: 1)
        let per = duration(required(fields, "per"), "\(what).per")
        if let per, per.value <= .zero || per.value > Budget.longestWindow {
            error(
                "range",
                "\(what).per must be longer than 0s and at most 30d (uses are kept 30 days), found "
                    + per.value.runbookDescription,
                at: per.location)
            return nil
        }
        let key = interpolated(fields["key"], "\(what).key")
        guard let max, let per else { return nil }
        return Budget(max: max, per: per.value, key: key, location: node.location)
    }
}
