internal import RunbookYAML

/// `handoff:` across the catalog: every target exists, and no chain of hand-offs comes back to
/// where it started (an alert would be handed round until the server's bound stops it).
extension CatalogLinter {
    mutating func lintHandoffs(_ handoffs: [(from: String, to: Located<String>)], runbookNames: [String]) {
        let known = Set(runbookNames)
        var edges: [String: [String]] = [:]
        for handoff in handoffs {
            guard known.contains(handoff.to.value) else {
                error(
                    "unknown-runbook",
                    "handoff names no runbook \"\(handoff.to.value)\""
                        + Suggestion.didYouMean(handoff.to.value, in: runbookNames.sorted()),
                    at: handoff.to.location)
                continue
            }
            edges[handoff.from, default: []].append(handoff.to.value)
        }
        for handoff in handoffs where known.contains(handoff.to.value) {
            if let path = Self.path(from: handoff.to.value, to: handoff.from, edges: edges) {
                error(
                    "handoff-cycle",
                    "handoff to \(handoff.to.value) comes back to \(handoff.from): "
                        + ([handoff.from] + path).joined(separator: " → "),
                    at: handoff.to.location)
            }
        }
    }

    /// A chain of hand-offs from `start` to `goal` (both included), if there is one.
    private static func path(from start: String, to goal: String, edges: [String: [String]]) -> [String]? {
        var previous: [String: String] = [:]
        var queue = [start]
        var seen: Set<String> = [start]
        var index = 0
        while index < queue.count {
            let current = queue[index]
            index += 1
            if current == goal {
                var path = [current]
                while let before = previous[path[0]] { path.insert(before, at: 0) }
                return path
            }
            for next in edges[current] ?? [] where seen.insert(next).inserted {
                previous[next] = current
                queue.append(next)
            }
        }
        return nil
    }
}
