import Foundation
import RunbookCore
import RunbookEngine
import RunbookLifecycle
import RunbookStore
import Testing

@testable import RunbookServer

/// The API's JSON types, which the server encodes and the CLI decodes.
@Suite struct WireTests {
    private let run = RunRow(
        id: "r1", alertID: 7, runbook: "down", fingerprint: "f", concurrencyKey: nil, state: .open, outcome: .succeeded,
        attempt: 1, startedAt: 1_800_000_000_000, finishedAt: 1_800_000_001_000, evidence: "/e/b",
        evidenceDigest: String(repeating: "a", count: 64))

    @Test func aRunDetailCarriesTheRunsFieldsBesideItsRecordAndReadsBackAsItWasWritten() throws {
        let step = StepResult(
            id: "check", kind: .diagnostic, status: .failed, origin: .executed, startedAt: .zero, exitCode: 2)
        let detail = RunDetail(
            run: run, steps: [step], timeline: [TimelineEvent(at: .seconds(61), kind: .step, summary: "check failed")],
            timers: [])
        let body = RunDetailBody(detail, alert: nil, waitingFor: "gate")
        let data = try JSONEncoder().encode(body)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["id"] as? String == "r1")
        #expect(object["waiting_for"] as? String == "gate")
        #expect(object["evidence_manifest_digest"] as? String == String(repeating: "a", count: 64))
        #expect((object["steps"] as? [[String: Any]])?.first?["exit_code"] as? Int == 2)
        #expect((object["timeline"] as? [[String: Any]])?.first?["at"] as? String == "T+00:01:01")
        #expect(try JSONDecoder().decode(RunDetailBody.self, from: data) == body)
        // A detail is also a run: the CLI may read either from it.
        #expect(try JSONDecoder().decode(RunBody.self, from: data).state == "open")
    }
}
