import RunbookCore

/// The top of a runbook or playbook page: summary, owner, tags, links, description.
struct MetadataDocs {
    var metadata: Metadata
    var sources: DocSources
    var file: String

    func blocks() -> [DocBlock] {
        var blocks: [DocBlock] = []
        if let summary = metadata.summary { blocks.append(.note(.prose(summary))) }
        var facts: [[DocInline]] = [
            [
                .strong("name"), .text(" "), .code(metadata.name.value), .text(" · "),
                sources.cite(metadata.name.location),
            ]
        ]
        facts.append([.strong("owner"), .text(" " + (metadata.owner ?? "(none)"))])
        if !metadata.tags.isEmpty {
            facts.append([.strong("tags"), .text(" " + metadata.tags.joined(separator: ", "))])
        }
        for link in metadata.links {
            facts.append([.strong("link"), .text(" "), .link([.text(link)], .external(link))])
        }
        blocks.append(.list(facts))
        if let description = metadata.description { blocks.append(.authored(description)) }
        return blocks
    }

    /// Blank-line separated paragraphs, each a list of its lines.
    static func paragraphs(_ text: String) -> [[String]] {
        var result: [[String]] = []
        var current: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) {
                if !current.isEmpty { result.append(current) }
                current = []
            } else {
                current.append(String(line))
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
