import RunbookCore

/// Builds the page of one playbook: its inputs, the runbooks that call it, its flow and steps.
///
/// Playbooks get their own page, linked from every calling step, so a runbook page stays
/// readable and a playbook used by five runbooks is documented once.
struct PlaybookPage {
    var playbook: Playbook
    var catalog: Catalog
    var sources: DocSources
    var steps: StepDocs
    /// Runbooks that call the playbook, with their page paths, sorted by name.
    var callers: [(name: String, path: String)]
    var path: String

    func build() -> DocPage {
        var blocks: [DocBlock] = [.heading(level: 1, [.text(playbook.metadata.displayTitle)])]
        blocks.append(
            .paragraph([
                .text("Playbook, called from a runbook step with "), .code("uses: " + playbook.name), .text("."),
            ]))
        blocks += MetadataDocs(metadata: playbook.metadata, sources: sources, file: playbook.file).blocks()
        blocks.append(.heading(level: 2, [.text("Called by")], anchor: "callers"))
        if callers.isEmpty {
            blocks.append(.paragraph([.text("No runbook calls this playbook.")]))
        } else {
            blocks.append(.list(callers.map { [.link([.text($0.name)], .page($0.path))] }))
        }
        blocks.append(.heading(level: 2, [.text("Inputs")], anchor: "inputs"))
        if playbook.inputs.isEmpty {
            blocks.append(.paragraph([.text("None.")]))
        } else {
            blocks.append(
                .table(
                    header: ["input", "type", "required", "default", "pattern", "description", "source"],
                    rows: playbook.inputs.map { input in
                        [
                            [.code(input.name.value)], [.text(input.type.rawValue)],
                            [.text(input.required ? "yes" : "no")],
                            input.defaultValue.map { [.code($0)] } ?? [.text("—")],
                            input.pattern.map { [.code($0.pattern)] } ?? [.text("—")],
                            .prose(input.description ?? ""), [sources.cite(input.name.location)],
                        ]
                    }))
        }
        blocks.append(.heading(level: 2, [.text("Flow")], anchor: "flow"))
        blocks.append(
            .flow(
                start: "called with uses: \(playbook.name)", steps: playbook.steps,
                defaultInterval: catalog.config.defaults.interval, isPlaybook: true))
        blocks.append(.heading(level: 2, [.text("Steps")], anchor: "steps"))
        blocks += steps.blocks(for: playbook.steps)
        blocks += steps.cleanupBlocks(onFailure: playbook.onFailure, finally: playbook.finally)
        if !playbook.outputs.isEmpty {
            blocks.append(.heading(level: 2, [.text("Outputs")], anchor: "outputs"))
            blocks.append(
                .paragraph([
                    .text("What the call returns, as "), .code("steps.CALL.outputs.NAME"), .text(" in the caller:"),
                ]))
            for output in playbook.outputs {
                blocks.append(
                    .paragraph([
                        .code(output.name.value), .text(" = "), .code(output.value.text), .text(" · "),
                        sources.cite(output.name.location),
                    ]))
            }
        }
        return DocPage(
            path: path, title: playbook.metadata.displayTitle + " — playbook", source: sources.path(playbook.file),
            blocks: blocks)
    }
}
