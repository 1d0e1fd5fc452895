internal import RunbookYAML

extension DocumentDecoder {
    /// Checks `apiVersion` and `kind`; returns false when the document is not what was expected.
    mutating func checkHeader(_ fields: MappingFields, kind expected: String) -> Bool {
        if let version = string(required(fields, "apiVersion"), "apiVersion"), version.value != "rbx/v1" {
            error(
                "api-version", "apiVersion \"\(version.value)\" is not supported; this rbx reads rbx/v1",
                at: version.location)
        }
        guard let kind = string(required(fields, "kind"), "kind") else { return false }
        guard kind.value == expected else {
            let place =
                ["Runbook": "runbooks/", "Playbook": "playbooks/", "Config": "rbx.yaml", "RunbookTest": "tests/"][
                    expected] ?? expected
            error(
                "kind", "kind \"\(kind.value)\" does not belong in \(place), which holds kind \(expected)",
                at: kind.location)
            return false
        }
        return true
    }

    mutating func metadata(_ node: YAMLNode?, in what: String) -> Metadata? {
        guard let node, let fields = fields(node, allowed: FormatKeys.metadata, in: "metadata") else {
            if node == nil {
                error(
                    "missing-key", "\(what) is missing required key \"metadata\"",
                    at: SourceLocation(file: file, line: 1, column: 1))
            }
            return nil
        }
        guard let name = name(required(fields, "name"), "metadata.name") else { return nil }
        return Metadata(
            name: name,
            title: string(fields["title"], "metadata.title")?.value,
            owner: string(fields["owner"], "metadata.owner")?.value,
            summary: string(fields["summary"], "metadata.summary")?.value,
            description: string(fields["description"], "metadata.description")?.value,
            links: stringList(fields["links"], "metadata.links")?.map(\.value) ?? [],
            tags: stringList(fields["tags"], "metadata.tags")?.map(\.value) ?? [])
    }
}
