/// Durations as runbooks write them: `30s`, `5m`, `1h30m`, `250ms`, `2d`.
extension Duration {
    /// Parses a runbook duration, or returns nil with no explanation (see ``parseRunbookDuration(_:)``).
    public init?(runbook text: String) {
        guard case .success(let duration) = Self.parseRunbookDuration(text) else { return nil }
        self = duration
    }

    /// Parses `<integer><unit>` groups, largest unit first, e.g. `1h30m`.
    ///
    /// - Returns: the duration, or a message saying what is wrong with the text.
    public static func parseRunbookDuration(_ text: String) -> Result<Duration, DurationSyntaxError> {
        let units: [(suffix: String, milliseconds: Int64)] = [
            ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1),
        ]
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure(DurationSyntaxError(text: text)) }
        var index = 0
        var total: Int64 = 0
        var lastRank = -1
        while index < bytes.count {
            var number: Int64 = 0
            let digitsStart = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                let (product, overflow) = number.multipliedReportingOverflow(by: 10)
                guard !overflow else { return .failure(DurationSyntaxError(text: text)) }
                number = product + Int64(bytes[index] - 0x30)
                index += 1
            }
            guard index > digitsStart else { return .failure(DurationSyntaxError(text: text)) }
            let unitStart = index
            while index < bytes.count, bytes[index] >= 0x61 && bytes[index] <= 0x7A {
                index += 1
            }
            let suffix = String(decoding: bytes[unitStart..<index], as: UTF8.self)
            guard let rank = units.firstIndex(where: { $0.suffix == suffix }), rank > lastRank else {
                return .failure(DurationSyntaxError(text: text))
            }
            lastRank = rank
            let (part, overflow) = number.multipliedReportingOverflow(by: units[rank].milliseconds)
            guard !overflow, total <= Int64.max - part else { return .failure(DurationSyntaxError(text: text)) }
            total += part
        }
        return .success(.milliseconds(total))
    }

    /// The canonical runbook spelling: `1h30m`, `45s`, `0s`. Used in docs, diffs and timelines.
    public var runbookDescription: String {
        var milliseconds = Int64(components.seconds) * 1000 + Int64(components.attoseconds / 1_000_000_000_000_000)
        if milliseconds == 0 { return "0s" }
        var result = milliseconds < 0 ? "-" : ""
        milliseconds = abs(milliseconds)
        for (suffix, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] {
            let count = milliseconds / size
            if count > 0 {
                result += "\(count)\(suffix)"
                milliseconds -= count * size
            }
        }
        return result
    }

    /// Whole milliseconds, for JSON output and arithmetic on timelines.
    public var totalMilliseconds: Int64 {
        Int64(components.seconds) * 1000 + Int64(components.attoseconds / 1_000_000_000_000_000)
    }
}

/// A duration that could not be read; the message shows the accepted forms.
public struct DurationSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    public var text: String
    public var description: String {
        "\"\(text)\" is not a duration; write it like 30s, 5m, 1h30m or 250ms (units d, h, m, s, ms, largest first)"
    }
}
