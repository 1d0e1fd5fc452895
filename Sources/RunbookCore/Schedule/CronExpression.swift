/// A five-field cron expression (minute hour day-of-month month day-of-week), evaluated in UTC.
///
/// The fields take what Vixie cron takes: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`,
/// lists `a,b`, month and weekday names (`JAN`, `MON`), and 7 as Sunday. When both day fields
/// are restricted, a day matches if either does, as in every cron since Vixie's.
/// Hand-written: no library on this machine parses cron (docs/decisions/0012).
public struct CronExpression: Sendable, Hashable {
    public var minutes: Set<Int>
    public var hours: Set<Int>
    public var daysOfMonth: Set<Int>
    public var months: Set<Int>
    /// 0 is Sunday.
    public var daysOfWeek: Set<Int>
    var dayOfMonthRestricted: Bool
    var dayOfWeekRestricted: Bool

    /// How far ``next(after:)`` and ``latest(atOrBefore:)`` look before deciding an expression
    /// names no instant (`0 0 30 2 *`: February 30th).
    public static let horizonYears = 8

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]
    private static let monthNames = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    /// - Parameter offset: where `text` starts in the scalar the catalog wrote, for error columns.
    public static func parse(_ text: String, offset: Int = 0) throws(ExpressionSyntaxError) -> CronExpression {
        if text.hasPrefix("@") {
            guard let expanded = macros[text.lowercased()] else {
                let known = macros.keys.sorted().joined(separator: ", ")
                throw ExpressionSyntaxError(
                    "unknown schedule \"\(text)\"; write every DURATION, cron, or one of \(known)", at: offset)
            }
            return try parse(expanded)
        }
        var fields: [(text: Substring, offset: Int)] = []
        var index = text.startIndex
        var position = offset
        while index < text.endIndex {
            if text[index] == " " || text[index] == "\t" {
                index = text.index(after: index)
                position += 1
                continue
            }
            let start = index
            let startPosition = position
            while index < text.endIndex, text[index] != " ", text[index] != "\t" {
                index = text.index(after: index)
                position += 1
            }
            fields.append((text[start..<index], startPosition))
        }
        guard fields.count == 5 else {
            throw ExpressionSyntaxError(
                "a schedule is every DURATION or a cron expression of 5 fields (minute hour day month weekday); "
                    + "found \(fields.count) field\(fields.count == 1 ? "" : "s")",
                at: offset)
        }
        let minutes = try field(fields[0], "minute", 0...59, names: [])
        let hours = try field(fields[1], "hour", 0...23, names: [])
        let days = try field(fields[2], "day of month", 1...31, names: [])
        let months = try field(fields[3], "month", 1...12, names: monthNames, firstName: 1)
        var weekdays = try field(fields[4], "day of week", 0...7, names: dayNames, firstName: 0)
        if weekdays.remove(7) != nil { weekdays.insert(0) }
        return CronExpression(
            minutes: minutes, hours: hours, daysOfMonth: days, months: months, daysOfWeek: weekdays,
            dayOfMonthRestricted: !fields[2].text.hasPrefix("*"), dayOfWeekRestricted: !fields[4].text.hasPrefix("*"))
    }

    private static func field(
        _ field: (text: Substring, offset: Int), _ what: String, _ range: ClosedRange<Int>, names: [String],
        firstName: Int = 0
    ) throws(ExpressionSyntaxError) -> Set<Int> {
        var values = Set<Int>()
        var offset = field.offset
        for part in field.text.split(separator: ",", omittingEmptySubsequences: false) {
            defer { offset += part.unicodeScalars.count + 1 }
            let pieces = part.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            var step = 1
            if pieces.count == 2 {
                guard let parsed = Int(pieces[1]), parsed > 0 else {
                    throw ExpressionSyntaxError(
                        "\(what): the step after / must be a whole number above 0, found \"\(pieces[1])\"",
                        at: offset + pieces[0].unicodeScalars.count + 1)
                }
                step = parsed
            }
            let base = pieces[0]
            var low = range.lowerBound
            var high = range.upperBound
            if base != "*" {
                let bounds = base.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
                low = try value(bounds[0], what, range, names: names, firstName: firstName, at: offset)
                if bounds.count == 2 {
                    high = try value(
                        bounds[1], what, range, names: names, firstName: firstName,
                        at: offset + bounds[0].unicodeScalars.count + 1)
                    guard low <= high else {
                        throw ExpressionSyntaxError("\(what): the range \(base) runs backwards", at: offset)
                    }
                } else if pieces.count == 1 {
                    high = low
                }
            }
            values.formUnion(stride(from: low, through: high, by: step))
        }
        return values
    }

    private static func value(
        _ text: Substring, _ what: String, _ range: ClosedRange<Int>, names: [String], firstName: Int, at offset: Int
    ) throws(ExpressionSyntaxError) -> Int {
        if let number = Int(text) {
            guard range.contains(number) else {
                throw ExpressionSyntaxError(
                    "\(what) \(number) is out of range \(range.lowerBound)-\(range.upperBound)", at: offset)
            }
            return number
        }
        if let index = names.firstIndex(of: text.uppercased()) { return index + firstName }
        let hint = names.isEmpty ? "" : " or a name (\(names.prefix(3).joined(separator: ", ")), …)"
        throw ExpressionSyntaxError(
            "\(what): \"\(text)\" is not a number \(range.lowerBound)-\(range.upperBound)\(hint)", at: offset)
    }

    // MARK: - Evaluation, on UTC civil time

    /// The first minute after `instant` (epoch milliseconds) the expression names.
    public func next(after instant: Int64) -> Int64? {
        var minute = Self.floorDiv(instant, 60_000) + 1
        let limit = minute + Int64(Self.horizonYears) * 366 * 1440
        while minute <= limit {
            let time = CivilTime(epochMinute: minute)
            if !months.contains(time.month) {
                minute = CivilTime.epochMinute(year: time.year, month: time.month + 1, day: 1)
            } else if !matchesDay(time) {
                minute = (Self.floorDiv(minute, 1440) + 1) * 1440
            } else if !hours.contains(time.hour) {
                minute = (Self.floorDiv(minute, 60) + 1) * 60
            } else if !minutes.contains(time.minute) {
                minute += 1
            } else {
                return minute * 60_000
            }
        }
        return nil
    }

    /// The last minute at or before `instant` the expression names.
    public func latest(atOrBefore instant: Int64) -> Int64? {
        var minute = Self.floorDiv(instant, 60_000)
        let limit = minute - Int64(Self.horizonYears) * 366 * 1440
        while minute >= limit {
            let time = CivilTime(epochMinute: minute)
            if !months.contains(time.month) {
                minute = CivilTime.epochMinute(year: time.year, month: time.month, day: 1) - 1
            } else if !matchesDay(time) {
                minute = Self.floorDiv(minute, 1440) * 1440 - 1
            } else if !hours.contains(time.hour) {
                minute = Self.floorDiv(minute, 60) * 60 - 1
            } else if !minutes.contains(time.minute) {
                minute -= 1
            } else {
                return minute * 60_000
            }
        }
        return nil
    }

    private func matchesDay(_ time: CivilTime) -> Bool {
        let byMonth = daysOfMonth.contains(time.day)
        let byWeek = daysOfWeek.contains(time.weekday)
        if dayOfMonthRestricted && dayOfWeekRestricted { return byMonth || byWeek }
        return byMonth && byWeek
    }

    static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}

/// A UTC minute as a calendar date and time (Howard Hinnant's days-from-civil algorithms).
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    /// 0 is Sunday.
    var weekday: Int

    init(epochMinute: Int64) {
        let days = CronExpression.floorDiv(epochMinute, 1440)
        let minuteOfDay = Int(epochMinute - days * 1440)
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
        weekday = Int((days % 7 + 11) % 7)  // 1970-01-01 was a Thursday (4).
        let shifted = days + 719_468
        let era = CronExpression.floorDiv(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
    }

    /// The first minute of a day; `month` 13 is January of the next year.
    static func epochMinute(year: Int, month: Int, day: Int) -> Int64 {
        let year = Int64(month > 12 ? year + 1 : year)
        let month = Int64(month > 12 ? month - 12 : month)
        let y = month <= 2 ? year - 1 : year
        let era = CronExpression.floorDiv(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return (era * 146_097 + dayOfEra - 719_468) * 1440
    }
}
