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
}
