/// An alert normalised from any of the accepted input forms.
///
/// Alert data is untrusted: it is only ever compared, rendered into single argv elements,
/// or shell-quoted; nothing in it is interpreted.
public struct Alert: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        case firing, resolved
    }

    /// Alertmanager's fingerprint of the label set, as 16 hex digits.
    public var fingerprint: String
    public var name: String
    public var source: String
    /// The canonical ladder level, or nil when the alert carries none the ladder knows.
    public var severity: String?
    /// The severity as the alert spelled it (`critical`, `P2`), for messages.
    public var rawSeverity: String?
    public var status: Status
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: String?
    public var endsAt: String?
    public var generatorURL: String?
    /// Set on an alert posted as a fire drill through a live server (``AlertDrill``).
    public var drill: AlertDrill?
    /// Set on the alert a schedule's tick stands for (``ScheduleTick``): no one posted it.
    public var tick: ScheduleTick?

    public init(
        fingerprint: String, name: String, source: String, severity: String?, rawSeverity: String?, status: Status,
        labels: [String: String], annotations: [String: String] = [:], startsAt: String? = nil, endsAt: String? = nil,
        generatorURL: String? = nil
    ) {
        self.fingerprint = fingerprint
        self.name = name
        self.source = source
        self.severity = severity
        self.rawSeverity = rawSeverity
        self.status = status
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }
}

/// A fire drill through a live server: the alert goes through the real intake, routing, dedup,
/// silences, claims, store and timers, but its run assumes every step and records its
/// notifications, prefixed "[DRILL]", instead of sending them (a notifier marked
/// `drill: deliver` gets them, prefixed). Its fingerprint starts with `drill:`, so a drill is
/// never folded into a real alert, nor a real alert into a drill.
public struct AlertDrill: Sendable, Hashable, Codable {
    public static let fingerprintPrefix = "drill:"
    public static let messagePrefix = "[DRILL] "

    /// How many times faster than real time its ladder and waits run (`--speed 60`: a
    /// 15-minute rung pages after 15 s).
    public var speed: Int
    /// Who asked for the drill.
    public var requestedBy: String
    /// Whether `safe: true` diagnostics really run.
    public var runDiagnostics: Bool

    public init(speed: Int = 1, requestedBy: String, runDiagnostics: Bool = false) {
        self.speed = max(1, speed)
        self.requestedBy = requestedBy
        self.runDiagnostics = runDiagnostics
    }

    /// `alert` as a drill: the mark and the drill fingerprint.
    public func mark(_ alert: Alert) -> Alert {
        var drilled = alert
        drilled.drill = self
        if !drilled.fingerprint.hasPrefix(Self.fingerprintPrefix) {
            drilled.fingerprint = Self.fingerprintPrefix + drilled.fingerprint
        }
        return drilled
    }

    /// A virtual span of the drill (a rung's `after`, a wait) in real time.
    public func real(_ virtual: Duration) -> Duration { virtual / speed }
    /// A real span in the drill's virtual time.
    public func virtual(_ real: Duration) -> Duration { real * speed }
}

/// One tick of a scheduled runbook or check (``Schedule``). Its run has an alert like any run,
/// for the store, the timeline and the evidence; this mark, which intake never sets, is what
/// makes it a scheduled run: no escalation ladder, and `completed` rather than open when its
/// steps end.
public struct ScheduleTick: Sendable, Hashable, Codable {
    public static let fingerprintPrefix = "schedule:"
    public static let source = "rbx/schedule"

    public var runbook: String
    /// The tick's instant, epoch milliseconds.
    public var at: Int64
    /// The schedule as written, for the record.
    public var schedule: String

    public init(runbook: String, at: Int64, schedule: String) {
        self.runbook = runbook
        self.at = at
        self.schedule = schedule
    }

    /// The alert the tick's run is for: named after the runbook, no labels but `alertname`, one
    /// fingerprint per runbook (ticks of one runbook are one series).
    public var alert: Alert {
        var alert = Alert(
            fingerprint: Self.fingerprintPrefix + runbook, name: runbook, source: Self.source, severity: nil,
            rawSeverity: nil, status: .firing, labels: ["alertname": runbook],
            startsAt: RFC3339.format(epochMilliseconds: at))
        alert.tick = self
        return alert
    }

    /// How the queued alert's row describes it, in both stores.
    public var note: String { "tick \(RFC3339.format(epochMilliseconds: at)) of \(schedule)" }
}

/// Alertmanager's label-set fingerprint: FNV-1a 64 over the label names and values sorted by
/// name, each followed by the separator byte 0xff (prometheus/common `LabelsToSignature`).
public enum AlertFingerprint {
    public static func of(_ labels: [String: String]) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        let prime: UInt64 = 1_099_511_628_211
        func add(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* prime
            }
        }
        // Go sorts label names by their bytes; Swift's `<` on String is not that for every string.
        for name in labels.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            add(name.utf8)
            add(CollectionOfOne(0xFF))
            add((labels[name] ?? "").utf8)
            add(CollectionOfOne(0xFF))
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
