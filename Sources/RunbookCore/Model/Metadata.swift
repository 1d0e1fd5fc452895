/// The `metadata` block shared by runbooks and playbooks.
public struct Metadata: Sendable, Hashable {
    public var name: Located<String>
    public var title: String?
    public var owner: String?
    public var summary: String?
    public var description: String?
    public var links: [String]
    public var tags: [String]

    public init(
        name: Located<String>, title: String? = nil, owner: String? = nil, summary: String? = nil,
        description: String? = nil, links: [String] = [], tags: [String] = []
    ) {
        self.name = name
        self.title = title
        self.owner = owner
        self.summary = summary
        self.description = description
        self.links = links
        self.tags = tags
    }

    /// The title, or the name when the author gave none.
    public var displayTitle: String { title ?? name.value }
}
