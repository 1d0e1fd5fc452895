import RunbookCore
import RunbookLifecycle
import RunbookYAML
import Testing

/// What a reload's new escalation ladder does to a run's unfired rungs, matched by position.
struct LadderReplanTests {
    static let here = SourceLocation(file: "runbooks/down.yaml", line: 10, column: 5)

    static func rung(_ minutes: Int, _ notify: String = "pager", line: Int = 10) -> EscalationRung {
        EscalationRung(
            after: .seconds(minutes * 60), notify: [Located(notify, at: here)],
            location: SourceLocation(file: "runbooks/down.yaml", line: line, column: 5))
    }

    static let minute: Int64 = 60_000

    @Test("moved lines are no change; other times, targets or rungs are")
    func differ() {
        #expect(!LadderReplan.differ([Self.rung(5, line: 10)], [Self.rung(5, line: 40)]))
        #expect(LadderReplan.differ([Self.rung(5)], [Self.rung(10)]))
        #expect(LadderReplan.differ([Self.rung(5)], [Self.rung(5, "secondary")]))
        #expect(LadderReplan.differ([Self.rung(5)], [Self.rung(5), Self.rung(10)]))
    }

    @Test(
        "unfired first pages move to the new times from the run's start; new rungs are added; rungs past the end end",
        arguments: [
            // (new ladder in minutes, unfired (id, rung, claimed, due in minutes), expected changes)
            ([10, 20], [(1, 0, false, 5), (2, 1, false, 15)], ["move 1 10", "move 2 20"]),
            ([5, 15], [(1, 0, false, 5), (2, 1, false, 15)], [String]()),
            // Rung 0 already paged (not unfired): the store adds nothing where its page exists.
            ([5, 30], [(2, 1, false, 15)], ["add 0 5", "move 2 30"]),
            ([5], [(1, 0, false, 5), (2, 1, false, 15)], ["cancel 2"]),
            ([5, 15, 45], [(1, 0, false, 5)], ["add 1 15", "add 2 45"]),
            // Being fired right now: left alone, whatever the new ladder says.
            ([1], [(1, 0, true, 5), (2, 1, true, 15)], [String]()),
        ] as [([Int], [(Int64, Int, Bool, Int64)], [String])])
    func changes(ladder: [Int], unfired: [(Int64, Int, Bool, Int64)], expected: [String]) {
        let startedAt: Int64 = 1_000
        let stored = unfired.map {
            LadderReplan.StoredRung(
                id: $0.0, rung: $0.1, repetition: 0, claimed: $0.2, dueAt: startedAt + $0.3 * Self.minute)
        }
        let changes = LadderReplan.changes(ladder: ladder.map { Self.rung($0) }, unfired: stored, startedAt: startedAt)
        let shown = changes.map { change -> String in
            switch change {
            case .move(let id, let dueAt): "move \(id) \((dueAt - startedAt) / Self.minute)"
            case .cancel(let id): "cancel \(id)"
            case .add(let entry):
                if case .escalation(let rung, _) = entry.timer {
                    "add \(rung) \(entry.due.totalMilliseconds / Self.minute)"
                } else {
                    "add ?"
                }
            }
        }
        #expect(shown == expected)
    }
}
