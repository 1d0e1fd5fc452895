import PropertyBased
import RunbookCore
import Synchronization
import Testing

/// Issue 13: properties checked on generated inputs (swift-property-based) rather than a few
/// hand-picked cases: label matchers against Alertmanager's matcher semantics, written out here
/// as a reference, and fingerprints against prometheus/common's label-set hash.
@Suite struct MatcherPropertyTests {
    static let names = ["alertname", "instance", "env", "a", "b_2"]
    static let values = ["", "a", "ab", "aab", "b", "prod", "staging", "x-1", "prod-eu", "ünï", "a.b"]
    static let patterns = ["a.*", "prod|staging", "", ".*", "a+b?", "[ab]+", "prod-(eu|us)", "x-\\d", "ü.*", "a\\.b"]

    /// Alertmanager: a missing label is the empty string; `=~`/`!~` match the whole value.
    static func reference(
        _ op: LabelMatcher.Operator, _ name: String, _ pattern: String, _ labels: [String: String]
    )
        -> Bool
    {
        let value = labels[name] ?? ""
        switch op {
        case .equal: return value == pattern
        case .notEqual: return value != pattern
        case .matchesRegex: return (try? Regex("^(?:" + pattern + ")$").wholeMatch(in: value)) != nil
        case .doesNotMatchRegex: return (try? Regex("^(?:" + pattern + ")$").wholeMatch(in: value)) == nil
        }
    }

    @Test func everyLabelSetMatchesExactlyWhenAlertmanagersSemanticsSay() async throws {
        let outcomes = Mutex<Set<Bool>>([])
        let labelSet = zip(Gen.element(of: Self.names), Gen.element(of: Self.values)).array(of: 0...4).map { pairs in
            Dictionary(pairs.compactMap { name, value in name.flatMap { n in value.map { (n, $0) } } }) { a, _ in a }
        }
        let operators: [LabelMatcher.Operator] = [.equal, .notEqual, .matchesRegex, .doesNotMatchRegex]
        await propertyCheck(
            count: 2000, input: labelSet, Gen.element(of: Self.names), Gen.element(of: operators),
            Gen.element(of: Self.patterns + Self.values)
        ) { labels, name, op, pattern in
            guard let name, let op, let pattern else { return }
            let matcher = try LabelMatcher(name: name, op: op, value: pattern)
            let expected = Self.reference(op, name, pattern, labels)
            #expect(matcher.matches(labels) == expected, "\(name)\(op.rawValue)\"\(pattern)\" on \(labels)")
            outcomes.withLock { $0.insert(expected) }
        }
        #expect(outcomes.withLock { $0 } == [true, false], "the generated cases both match and do not")
    }

    /// prometheus/common `model.LabelSet.Fingerprint`: FNV-1a 64 over the label names sorted by
    /// their bytes, each name and value followed by the byte 0xFF.
    static func referenceFingerprint(_ labels: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let sorted = labels.keys.map { Array($0.utf8) }.sorted { $0.lexicographicallyPrecedes($1) }
        for name in sorted {
            let value = Array((labels[String(decoding: name, as: UTF8.self)] ?? "").utf8)
            for byte in name + [0xFF] + value + [0xFF] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    @Test func fingerprintsAreAlertmanagersAndDoNotDependOnOrder() async {
        // Latin letters with accents and combining marks: where byte order and String order could part.
        let text = Gen.character(in: "\u{20}"..."\u{36F}").string(of: 0...6)
        let labelSet = zip(text, text).array(of: 0...6).map { pairs in
            Dictionary(pairs.map { ($0.0, $0.1) }) { first, _ in first }
        }
        await propertyCheck(count: 1000, input: labelSet) { labels in
            #expect(AlertFingerprint.of(labels) == Self.referenceFingerprint(labels), "\(labels)")
            let rebuilt = Dictionary(uniqueKeysWithValues: labels.shuffled())
            #expect(AlertFingerprint.of(rebuilt) == AlertFingerprint.of(labels))
            if let (name, value) = labels.first {
                var changed = labels
                changed[name] = value + "x"
                #expect(AlertFingerprint.of(changed) != AlertFingerprint.of(labels))
            }
        }
    }
}
