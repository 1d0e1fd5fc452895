public import RunbookYAML

/// Turns the loader's paths (relative to the directory the user named, or absolute) into
/// catalog-relative ones, so `rbx docs --catalog /srv/runbooks` and `rbx docs` in that
/// directory write the same bytes.
public struct DocSources: Sendable {
    public var root: String

    public init(root: String) {
        self.root = root
    }

    public func path(_ file: String) -> String {
        guard root != ".", !root.isEmpty else { return file.hasPrefix("./") ? String(file.dropFirst(2)) : file }
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file
    }

    public func location(_ location: SourceLocation) -> SourceLocation {
        SourceLocation(file: path(location.file), position: location.position)
    }

    /// A `file:line` citation.
    func cite(_ location: SourceLocation) -> DocInline {
        .source(self.location(location))
    }
}
