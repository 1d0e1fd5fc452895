import RunbookCore
import RunbookEngine
import RunbookLifecycle
public import RunbookStore

/// A run as `GET /api/v1/runs` lists it and the run actions answer. The server encodes it and
/// the CLI (`rbx runs`, `rbx ack`, …) decodes the same type, so the two cannot drift apart.
public struct RunBody: Codable, Sendable, Equatable {
    public var id: String
    public var alertID: Int64
    public var runbook: String
    public var fingerprint: String
    /// `running`, `open`, `acked`, `resolved` or `failed`.
    public var state: String
    public var attempt: Int
    /// RFC 3339.
    public var startedAt: String
    public var outcome: String?
    public var concurrencyKey: String?
    public var finishedAt: String?
    public var ackedBy: String?
    public var ackNote: String?
    public var resolvedAt: String?
    /// Who or what resolved the run, as its timeline says it: `alert resolved`,
    /// `resolved by ana: fixed`, `resolved_when holds (…)`.
    public var resolvedBy: String?
    /// The evidence bundle's path, and the digest of its manifest for `rbx evidence verify`.
    public var evidence: String?
    public var evidenceManifestDigest: String?
    /// The approval step the run waits on now, whichever replica executes it.
    public var waitingFor: String?

    enum CodingKeys: String, CodingKey {
        case id, runbook, fingerprint, state, attempt, outcome, evidence
        case alertID = "alert_id"
        case startedAt = "started_at"
        case concurrencyKey = "concurrency_key"
        case finishedAt = "finished_at"
        case ackedBy = "acked_by"
        case ackNote = "ack_note"
        case resolvedAt = "resolved_at"
        case resolvedBy = "resolved_by"
        case evidenceManifestDigest = "evidence_manifest_digest"
        case waitingFor = "waiting_for"
    }

    public init(_ run: RunRow, waitingFor: String? = nil) {
        id = run.id
        alertID = run.alertID
        runbook = run.runbook
        fingerprint = run.fingerprint
        state = run.state.rawValue
        attempt = run.attempt
        startedAt = RFC3339.format(epochMilliseconds: run.startedAt)
        outcome = run.outcome?.rawValue
        concurrencyKey = run.concurrencyKey
        finishedAt = run.finishedAt.map(RFC3339.format(epochMilliseconds:))
        ackedBy = run.ackedBy
        ackNote = run.ackNote
        resolvedAt = run.resolvedAt.map(RFC3339.format(epochMilliseconds:))
        resolvedBy = run.resolution?.reason
        evidence = run.evidence
        evidenceManifestDigest = run.evidenceDigest
        self.waitingFor = waitingFor ?? (run.state == .running ? run.waitingFor : nil)
    }
}

/// One run with everything it recorded (`GET /api/v1/runs/{id}`): the ``RunBody`` fields, and
/// the alert, steps, timeline and timers beside them in the same object.
public struct RunDetailBody: Codable, Sendable, Equatable {
    public var run: RunBody
    public var alert: AlertBody?
    public var steps: [StepBody]
    public var timeline: [TimelineBody]
    public var timers: [TimerBody]

    public struct AlertBody: Codable, Sendable, Equatable {
        public var name: String
        public var status: String
        public var severity: String?
        public var labels: [String: String]
        public var occurrences: Int
        /// The alert's handling: `new`, `processing`, `acked`, `failed`.
        public var state: String
        public var note: String?
    }

    public struct StepBody: Codable, Sendable, Equatable {
        public var id: String
        public var kind: String
        public var status: String
        public var attempts: Int
        public var durationMs: Int64
        public var exitCode: Int32?
        public var command: [String]?
        public var note: String?

        enum CodingKeys: String, CodingKey {
            case id, kind, status, attempts, command, note
            case durationMs = "duration_ms"
            case exitCode = "exit_code"
        }
    }

    public struct TimelineBody: Codable, Sendable, Equatable {
        /// `T+HH:MM:SS` from the start of the run.
        public var at: String
        public var kind: String
        public var summary: String
        public var step: String?
    }

    public struct TimerBody: Codable, Sendable, Equatable {
        public var key: String
        /// `escalation` or `status_update`.
        public var kind: String
        public var state: String
        public var dueAt: String
        public var firedAt: String?

        enum CodingKeys: String, CodingKey {
            case key, kind, state
            case dueAt = "due_at"
            case firedAt = "fired_at"
        }
    }

    enum CodingKeys: String, CodingKey { case alert, steps, timeline, timers }

    public init(_ detail: RunDetail, alert record: AlertRecord?, waitingFor: String?) {
        run = RunBody(detail.run, waitingFor: waitingFor)
        alert = record.map {
            AlertBody(
                name: $0.alert.name, status: $0.alert.status.rawValue, severity: $0.alert.severity,
                labels: $0.alert.labels,
                occurrences: $0.occurrences, state: $0.state.rawValue, note: $0.note)
        }
        steps = detail.steps.map {
            StepBody(
                id: $0.id, kind: $0.kind.rawValue, status: $0.status.rawValue, attempts: $0.attempts,
                durationMs: $0.duration.totalMilliseconds, exitCode: $0.exitCode, command: $0.command, note: $0.note)
        }
        timeline = detail.timeline.map {
            TimelineBody(at: TimelineEvent.stamp($0.at), kind: $0.kind.rawValue, summary: $0.summary, step: $0.stepID)
        }
        timers = detail.timers.map {
            TimerBody(
                key: $0.key, kind: $0.timer.isEscalation ? "escalation" : "status_update", state: $0.state.rawValue,
                dueAt: RFC3339.format(epochMilliseconds: $0.dueAt),
                firedAt: $0.firedAt.map(RFC3339.format(epochMilliseconds:)))
        }
    }

    public init(from decoder: any Decoder) throws {
        run = try RunBody(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        alert = try container.decodeIfPresent(AlertBody.self, forKey: .alert)
        steps = try container.decodeIfPresent([StepBody].self, forKey: .steps) ?? []
        timeline = try container.decodeIfPresent([TimelineBody].self, forKey: .timeline) ?? []
        timers = try container.decodeIfPresent([TimerBody].self, forKey: .timers) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        try run.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(alert, forKey: .alert)
        try container.encode(steps, forKey: .steps)
        try container.encode(timeline, forKey: .timeline)
        try container.encode(timers, forKey: .timers)
    }
}

/// The body of `POST /api/v1/runs/{id}/ack|resolve|approve|deny`. Who acts comes from the token;
/// a `by` naming someone else is refused.
public struct RunActionBody: Codable, Sendable, Equatable {
    public var note: String?
    /// The approval step, for approve and deny.
    public var step: String?
    public var by: String?

    public init(note: String? = nil, step: String? = nil, by: String? = nil) {
        self.note = note
        self.step = step
        self.by = by
    }
}

/// Every API error: `{"error": "…", "field": "[0].labels.alertname", "status": 400}`; a post
/// whose valid alerts were taken and some refused also lists each refusal under `refused`.
public struct ErrorBody: Codable, Sendable, Equatable {
    public var error: String
    public var field: String?
    public var status: Int
    public var refused: [Refusal]?

    /// One alert of a post that was refused: where (`[2].endsAt`) and why.
    public struct Refusal: Codable, Sendable, Equatable {
        public var field: String?
        public var error: String

        public init(field: String?, error: String) {
            self.field = field
            self.error = error
        }
    }

    public init(error: String, field: String?, status: Int, refused: [Refusal]? = nil) {
        self.error = error
        self.field = field
        self.status = status
        self.refused = refused
    }
}
