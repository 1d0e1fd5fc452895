import RunbookLifecycle
import Testing

/// The rules both stores apply inside their transactions.
@Suite struct RunStandingTests {
    @Test(arguments: [
        (RunStanding(state: .running), RunStanding.Change?.some(.init(state: .running, cancels: .escalations))),
        (RunStanding(state: .open), .some(.init(state: .acked, cancels: .escalations))),
        (RunStanding(state: .failed), .some(.init(state: .failed, cancels: .escalations))),
        (RunStanding(state: .acked, acknowledged: true), nil),
        (RunStanding(state: .resolved, resolved: true), nil),
    ])
    func acknowledging(_ standing: RunStanding, expected: RunStanding.Change?) {
        var standing = standing
        #expect(standing.acknowledge() == expected)
    }

    @Test(arguments: [
        (RunStanding(state: .running), RunStanding.Change?.some(.init(state: .running, cancels: .all))),
        (RunStanding(state: .open), .some(.init(state: .resolved, cancels: .all))),
        (RunStanding(state: .acked, acknowledged: true), .some(.init(state: .resolved, cancels: .all))),
        (RunStanding(state: .failed), .some(.init(state: .failed, cancels: .all))),
        (RunStanding(state: .resolved, resolved: true), nil),
    ])
    func resolving(_ standing: RunStanding, expected: RunStanding.Change?) {
        var standing = standing
        #expect(standing.resolve() == expected)
    }

    @Test(arguments: [
        (RunStanding(), RunRecord.Outcome.succeeded, RunStanding.Change(state: .open, cancels: .none)),
        (RunStanding(), .rendered, .init(state: .open, cancels: .none)),
        (RunStanding(), .failed, .init(state: .failed, cancels: .none)),
        (RunStanding(), .resolved, .init(state: .resolved, cancels: .all)),
        (RunStanding(), .acked, .init(state: .acked, cancels: .none)),
        (RunStanding(acknowledged: true), .succeeded, .init(state: .acked, cancels: .none)),
        (RunStanding(resolved: true), .succeeded, .init(state: .resolved, cancels: .all)),
        (RunStanding(resolved: true), .failed, .init(state: .resolved, cancels: .all)),
        (RunStanding(acknowledged: true), .failed, .init(state: .failed, cancels: .none)),
    ])
    func finishing(_ standing: RunStanding, outcome: RunRecord.Outcome, expected: RunStanding.Change) {
        var standing = standing
        #expect(standing.finish(outcome) == expected)
    }
}
