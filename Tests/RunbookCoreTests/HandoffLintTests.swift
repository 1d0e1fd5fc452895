import RunbookCore
import Testing

/// `handoff:` in lint: a target that exists, only on a stop step, and no chain back to itself.
@Suite struct HandoffLintTests {
    @Test("a cycle of hand-offs is refused at each handoff, with the chain")
    func cycle() async throws {
        let found = try await TestCatalog.diagnostics(runbooks: ["handoff-a.yaml", "handoff-b.yaml"])
        #expect(
            found == [
                "runbooks/handoff-a.yaml:11:14: error: handoff to handoff-b comes back to handoff-a: "
                    + "handoff-a → handoff-b → handoff-a [handoff-cycle]",
                "runbooks/handoff-b.yaml:11:14: error: handoff to handoff-a comes back to handoff-b: "
                    + "handoff-b → handoff-a → handoff-b [handoff-cycle]",
            ])
    }

    @Test("an unknown target gets a suggestion; handoff belongs to a stop step")
    func unknownTargetAndWrongKind() async throws {
        let found = try await TestCatalog.diagnostics(runbooks: ["handoff-unknown.yaml", "handoff-a.yaml"])
        #expect(
            found.contains(
                "runbooks/handoff-unknown.yaml:9:14: error: handoff names no runbook \"handof-a\"; "
                    + "did you mean \"handoff-a\"? [unknown-runbook]"), "\(found)")
        #expect(
            found.contains(
                "runbooks/handoff-unknown.yaml:13:5: error: \"handoff\" does not apply to a diagnostic step [key-for-kind]"
            ),
            "\(found)")
        // handoff-a hands off to handoff-b, which this catalog does not have.
        #expect(found.contains { $0.hasPrefix("runbooks/handoff-a.yaml:11:14: error: handoff names no runbook") })
    }
}
