internal import Foundation

/// What each function computes. Results are bounded like the output they come from: text of
/// at most ``maximumText`` bytes and lists of at most ``maximumItems`` elements, else `null`.
extension ExpressionFunction {
    static let maximumText = 1 << 20
    static let maximumItems = 100_000

    func apply(_ arguments: [ExpressionValue]) -> ExpressionValue {
        guard let first = arguments.first else { return .null }
        switch self {
        case .len:
            switch first {
            case .list(let items): return .number(Double(items.count))
            case .object(let members): return .number(Double(members.count))
            case .string(let text): return .number(Double(text.count))
            default: return .null
            }
        case .any: return first.items.map { .bool($0.contains(where: \.isTruthy)) } ?? .null
        case .all: return first.items.map { .bool($0.allSatisfy(\.isTruthy)) } ?? .null
        case .sum:
            guard let numbers = first.numbers else { return .null }
            let total = numbers.reduce(0, +)
            return total.isFinite ? .number(total) : .null
        case .min: return first.numbers.flatMap { $0.min() }.map(ExpressionValue.number) ?? .null
        case .max: return first.numbers.flatMap { $0.max() }.map(ExpressionValue.number) ?? .null
        case .first: return first.items?.first ?? .null
        case .last: return first.items?.last ?? .null
        case .keys:
            guard case .object(let members) = first else { return .null }
            return .list(members.keys.sorted().map(ExpressionValue.string))
        default:
            return applyToScalars(arguments)
        }
    }

    private func applyToScalars(_ arguments: [ExpressionValue]) -> ExpressionValue {
        let first = arguments[0]
        let second = arguments.count > 1 ? arguments[1] : nil
        switch self {
        case .lower: return first.scalarText.map { .string($0.lowercased()) } ?? .null
        case .upper: return first.scalarText.map { .string($0.uppercased()) } ?? .null
        case .trim: return first.scalarText.map { .string($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? .null
        case .startswith:
            guard let text = first.scalarText, let prefix = second?.scalarText else { return .null }
            return .bool(text.hasPrefix(prefix))
        case .endswith:
            guard let text = first.scalarText, let suffix = second?.scalarText else { return .null }
            return .bool(text.hasSuffix(suffix))
        case .split:
            guard let text = first.scalarText, let separator = second?.scalarText, !separator.isEmpty else {
                return .null
            }
            let parts = text.components(separatedBy: separator)
            return parts.count <= Self.maximumItems ? .list(parts.map(ExpressionValue.string)) : .null
        case .join:
            guard let items = first.items, let separator = second?.scalarText else { return .null }
            return bounded(items.map(\.text).joined(separator: separator))
        case .replace:
            guard let text = first.scalarText, let old = second?.scalarText, !old.isEmpty,
                let new = arguments[2].scalarText
            else { return .null }
            // Bounded before building it: each replacement may grow the text.
            let count = text.components(separatedBy: old).count - 1
            guard text.utf8.count + count * Swift.max(0, new.utf8.count - old.utf8.count) <= Self.maximumText else {
                return .null
            }
            return .string(text.replacingOccurrences(of: old, with: new))
        case .number: return first.numericValue.map(ExpressionValue.number) ?? .null
        case .string: return first == .null ? .null : bounded(first.text)
        case .abs: return first.numericValue.map { .number(Swift.abs($0)) } ?? .null
        case .round:
            guard let value = first.numericValue, Swift.abs(value) < 1e15 else {
                return first.numericValue.map(ExpressionValue.number) ?? .null
            }
            return .number((value + (value < 0 ? -0.5 : 0.5)).rounded(.towardZero))
        case .time:
            return first.scalarText.flatMap(RFC3339.secondsSinceEpoch).map(ExpressionValue.number) ?? .null
        case .duration:
            if case .number(let seconds) = first { return .number(seconds) }
            guard let text = first.scalarText, let duration = Duration(runbook: text) else { return .null }
            return .number(Double(duration.totalMilliseconds) / 1000)
        case .hour, .minute, .weekday, .timeOfDay:
            guard let seconds = first.numericValue, let time = LocalTime(epochSeconds: seconds, zone: second) else {
                return .null
            }
            switch self {
            case .hour: return .number(Double(time.hour))
            case .minute: return .number(Double(time.minute))
            case .weekday: return .string(LocalTime.weekdays[time.weekday])
            default: return .string(time.clock)
            }
        case .len, .any, .all, .sum, .min, .max, .first, .last, .keys:
            return .null
        }
    }

    private func bounded(_ text: String) -> ExpressionValue {
        text.utf8.count <= Self.maximumText ? .string(text) : .null
    }
}

extension ExpressionValue {
    /// The elements of a list, or nil.
    fileprivate var items: [ExpressionValue]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The numbers of a list of numbers (or numeric strings); nil if any element is not one.
    fileprivate var numbers: [Double]? {
        guard let items else { return nil }
        var numbers: [Double] = []
        numbers.reserveCapacity(items.count)
        for item in items {
            guard let number = item.numericValue else { return nil }
            numbers.append(number)
        }
        return numbers
    }

    /// The text of a string, number or boolean; nil for null, lists and objects.
    fileprivate var scalarText: String? {
        switch self {
        case .string(let text): text
        case .number, .bool: text
        case .null, .list, .object: nil
        }
    }
}

/// A moment as a wall clock in a time zone shows it, for `hour`, `weekday`, `time_of_day`.
struct LocalTime {
    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    var hour: Int
    var minute: Int
    /// 0 is Monday.
    var weekday: Int

    /// `"09:05"`, which compares correctly as text (`time_of_day(now) >= "22:00"`).
    var clock: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// - Parameter zone: an IANA zone name (`"Europe/Berlin"`); nil or absent for UTC.
    init?(epochSeconds: Double, zone: ExpressionValue?) {
        guard epochSeconds.isFinite, Swift.abs(epochSeconds) < 1e12 else { return nil }
        var offset = 0
        if let zone, zone != .null {
            guard case .string(let name) = zone, let timeZone = TimeZone(identifier: name) else { return nil }
            offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: epochSeconds))
        }
        let local = Int(epochSeconds.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let second = local - days * 86_400
        hour = second / 3600
        minute = second % 3600 / 60
        // 1970-01-01 was a Thursday (3, counting Monday as 0).
        weekday = ((days + 3) % 7 + 7) % 7
    }

    /// Whether rbx knows the zone, for lint.
    static func isKnownZone(_ name: String) -> Bool { TimeZone(identifier: name) != nil }
}
