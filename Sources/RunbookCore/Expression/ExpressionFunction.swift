/// The functions a condition or `{{ }}` may call: one table for the parser (names, arity), lint
/// (argument and result types) and evaluation, so a function added here is everywhere at once.
///
/// Every function is total: an argument of the wrong kind, or a missing value, gives `null`,
/// which no comparison holds for, so a check whose data is absent never silently passes.
public enum ExpressionFunction: String, Sendable, CaseIterable {
    case len, any, all, sum, min, max, first, last, keys
    case lower, upper, trim, startswith, endswith, split, join, replace
    case number, string, abs, round
    case time, duration, hour, minute, weekday
    case timeOfDay = "time_of_day"

    /// Whether the one argument may be written as a comprehension, `any(x > 9 for x in xs)`.
    public var takesList: Bool {
        switch self {
        case .len, .any, .all, .sum, .min, .max, .first, .last: true
        default: false
        }
    }

    /// How many arguments it takes.
    public var arity: ClosedRange<Int> {
        switch self {
        case .startswith, .endswith, .split, .join: 2...2
        case .replace: 3...3
        case .hour, .minute, .weekday, .timeOfDay: 1...2
        default: 1...1
        }
    }

    /// The message for a call with `count` arguments, or nil when that is right.
    func arityProblem(_ count: Int) -> String? {
        guard !arity.contains(count) else { return nil }
        let wanted =
            arity.lowerBound == arity.upperBound
            ? "\(arity.lowerBound) argument\(arity.lowerBound == 1 ? "" : "s")"
            : "\(arity.lowerBound) or \(arity.upperBound) arguments"
        return "\(rawValue)() takes \(wanted), not \(count); as in \(example)"
    }

    /// A call showing the arguments, for messages and docs.
    public var example: String {
        switch self {
        case .len: "len(steps.ps.outputs.pids)"
        case .any: "any(x > 90 for x in steps.df.outputs.used)"
        case .all: "all(x.value < 1 for x in steps.lag.samples)"
        case .sum: "sum(steps.sizes.outputs.bytes)"
        case .min: "min(steps.df.outputs.free)"
        case .max: "max(steps.df.outputs.used)"
        case .first: "first(steps.ps.outputs.pids)"
        case .last: "last(steps.log.outputs.lines)"
        case .keys: "keys(alert.labels)"
        case .lower: "lower(alert.labels.env)"
        case .upper: "upper(alert.labels.env)"
        case .trim: "trim(steps.check.stdout)"
        case .startswith: #"startswith(alert.labels.instance, "db-")"#
        case .endswith: #"endswith(alert.labels.instance, ".internal")"#
        case .split: #"split(alert.labels.hosts, ",")"#
        case .join: #"join(steps.ps.outputs.pids, " ")"#
        case .replace: #"replace(alert.labels.instance, ":9100", "")"#
        case .number: "number(alert.labels.threshold)"
        case .string: "string(steps.count.outputs.n)"
        case .abs: "abs(steps.drift.outputs.seconds)"
        case .round: "round(steps.lag.value)"
        case .time: "time(alert.startsAt)"
        case .duration: "duration(inputs.grace)"
        case .hour: #"hour(now, "Europe/Berlin")"#
        case .minute: "minute(now)"
        case .weekday: #"weekday(now, "America/New_York")"#
        case .timeOfDay: #"time_of_day(now, "Asia/Tokyo")"#
        }
    }
}
