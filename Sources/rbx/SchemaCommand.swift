import ArgumentParser
import RunbookCore

struct SchemaCommand: OutcomeCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the rbx/v1 formats for editors.",
        discussion: HelpText.reflow(
            """
            Save it in the catalog and point yaml-language-server at it from the first line
            of each file, for completion and validation while you type:
              rbx schema > schema/rbx.schema.json
              # yaml-language-server: $schema=../schema/rbx.schema.json
            """))

    func execute() async -> CommandOutcome {
        CommandOutcome(stdout: CatalogSchema.json())
    }
}
