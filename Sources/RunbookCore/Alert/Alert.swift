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
