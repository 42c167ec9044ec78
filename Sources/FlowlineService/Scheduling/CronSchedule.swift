import Foundation

/// AWS's six-field cron (`minutes hours day-of-month month day-of-week year`) compiled into sets,
/// with the next matching minute computed by walking calendar days (never minute by minute).
///
/// Day-of-week counts 1 = SUN … 7 = SAT, as AWS does. Supported: `*`, `?`, lists, ranges
/// (day-of-week ranges may wrap, `FRI-MON`), steps (`0/15`, `*/5`, `10-40/10`), month and day
/// names, `L` (last day of the month; in day-of-week alone: Saturday), `nL` (last weekday n of
/// the month), `nW` (the weekday nearest day n), `LW` (the last weekday), `n#k` (the k-th weekday n).
public struct CronSchedule: Sendable, Equatable {
    enum DayOfMonth: Sendable, Equatable {
        case any
        case days(Set<Int>)
        case last
        case lastWeekday
        case nearestWeekday(Int)
    }

    enum DayOfWeek: Sendable, Equatable {
        case any
        case days(Set<Int>)
        case lastOfMonth(Int)
        case nth(weekday: Int, occurrence: Int)
    }

    let minutes: [Int]
    let hours: [Int]
    let dayOfMonth: DayOfMonth
    let months: Set<Int>
    let dayOfWeek: DayOfWeek
    /// nil: every year.
    let years: Set<Int>?

    public init(_ expression: String) throws(ScheduleExpressionError) {
        guard case .cron(let fields) = try ScheduleExpression(expression) else {
            throw .init("'\(expression)' is not a cron(...) expression")
        }
        try self.init(fields: fields)
    }

    public init(fields: [String]) throws(ScheduleExpressionError) {
        guard fields.count == 6 else { throw .init("cron needs 6 fields, got \(fields.count)") }
        minutes = try Self.values(fields[0], range: 0...59, names: [:]).sorted()
        hours = try Self.values(fields[1], range: 0...23, names: [:]).sorted()
        months = try Self.values(fields[3], range: 1...12, names: Self.monthNames)
        dayOfMonth = try Self.dayOfMonthRule(fields[2])
        dayOfWeek = try Self.dayOfWeekRule(fields[4])
        years = fields[5] == "*" || fields[5] == "?" ? nil : try Self.values(fields[5], range: 1970...2199, names: [:])
    }

    /// The first whole minute strictly after `date` that matches, read in `timeZone`; nil when none
    /// comes within the next 30 years (or the year field has passed).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date.addingTimeInterval(60))
        guard var year = start.year, var month = start.month, var day = start.day,
              let startHour = start.hour, let startMinute = start.minute else { return nil }
        var firstDay = true
        let lastYear = min(year + 30, years?.max() ?? Int.max)
        while year <= lastYear {
            if (years?.contains(year) ?? true) && months.contains(month) && matches(year: year, month: month, day: day) {
                for hour in hours where !firstDay || hour >= startHour {
                    for minute in minutes where !firstDay || hour > startHour || minute >= startMinute {
                        let wanted = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
                        // A local time skipped by a daylight-saving change does not exist: move on.
                        guard let fire = calendar.date(from: wanted),
                              calendar.dateComponents([.year, .month, .day, .hour, .minute], from: fire) == wanted
                        else { continue }
                        if fire > date { return fire }
                    }
                }
            }
            firstDay = false
            day += 1
            if day > Self.daysIn(month: month, year: year) {
                day = 1
                month += 1
                if month > 12 { month = 1; year += 1 }
            }
        }
        return nil
    }

    func matches(year: Int, month: Int, day: Int) -> Bool {
        let length = Self.daysIn(month: month, year: year)
        let weekday = Self.weekday(year: year, month: month, day: day)
        let domMatches: Bool = switch dayOfMonth {
        case .any: true
        case .days(let days): days.contains(day)
        case .last: day == length
        case .lastWeekday: day == Self.nearestWeekday(to: length, month: month, year: year)
        case .nearestWeekday(let target): day == Self.nearestWeekday(to: min(target, length), month: month, year: year)
        }
        let dowMatches: Bool = switch dayOfWeek {
        case .any: true
        case .days(let days): days.contains(weekday)
        case .lastOfMonth(let wanted): weekday == wanted && day + 7 > length
        case .nth(let wanted, let occurrence): weekday == wanted && (day - 1) / 7 + 1 == occurrence
        }
        return domMatches && dowMatches
    }

    // MARK: Calendar arithmetic (proleptic Gregorian, no time zone needed for whole days)

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// 1 = Sunday … 7 = Saturday (Sakamoto's method).
    static func weekday(year: Int, month: Int, day: Int) -> Int {
        let offsets = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4]
        let y = month < 3 ? year - 1 : year
        return (y + y / 4 - y / 100 + y / 400 + offsets[month - 1] + day) % 7 + 1
    }

    /// The weekday (Mon–Fri) nearest to `day` without leaving the month, as Quartz's `W` defines it.
    static func nearestWeekday(to day: Int, month: Int, year: Int) -> Int {
        let length = daysIn(month: month, year: year)
        switch weekday(year: year, month: month, day: day) {
        case 7: return day == 1 ? 3 : day - 1            // Saturday: Friday, or Monday the 3rd
        case 1: return day == length ? day - 2 : day + 1 // Sunday: Monday, or Friday before the end
        default: return day
        }
    }

    // MARK: Parsing

    static let monthNames: [String: Int] = ["JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6,
                                            "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12]
    static let dayNames: [String: Int] = ["SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7]

    private static func dayOfMonthRule(_ field: String) throws(ScheduleExpressionError) -> DayOfMonth {
        let f = field.uppercased()
        if f == "?" || f == "*" { return .any }
        if f == "L" { return .last }
        if f == "LW" { return .lastWeekday }
        if f.hasSuffix("W"), let day = Int(f.dropLast()), (1...31).contains(day) { return .nearestWeekday(day) }
        return .days(try values(f, range: 1...31, names: [:]))
    }

    private static func dayOfWeekRule(_ field: String) throws(ScheduleExpressionError) -> DayOfWeek {
        let f = field.uppercased()
        if f == "?" || f == "*" { return .any }
        if f == "L" { return .days([7]) }
        if f.hasSuffix("L") {
            return .lastOfMonth(try single(String(f.dropLast()), range: 1...7, names: dayNames))
        }
        if f.contains("#") {
            let parts = f.split(separator: "#").map(String.init)
            guard parts.count == 2, let occurrence = Int(parts[1]), (1...5).contains(occurrence) else {
                throw .init("cron day-of-week '\(field)': '#' needs a weekday and an occurrence 1-5")
            }
            return .nth(weekday: try single(parts[0], range: 1...7, names: dayNames), occurrence: occurrence)
        }
        return .days(try values(f, range: 1...7, names: dayNames, wraps: true))
    }

    private static func single(_ token: String, range: ClosedRange<Int>, names: [String: Int]) throws(ScheduleExpressionError) -> Int {
        guard let value = Int(token) ?? names[token.uppercased()], range.contains(value) else {
            throw .init("cron value '\(token)' is outside \(range.lowerBound)-\(range.upperBound)")
        }
        return value
    }

    /// A comma-separated list of `*`, `n`, `a-b`, each optionally `/step`.
    static func values(_ field: String, range: ClosedRange<Int>, names: [String: Int],
                       wraps: Bool = false) throws(ScheduleExpressionError) -> Set<Int> {
        var result = Set<Int>()
        for part in field.uppercased().split(separator: ",").map(String.init) {
            let pieces = part.split(separator: "/", maxSplits: 1).map(String.init)
            var step = 1
            if pieces.count == 2 {
                guard let s = Int(pieces[1]), s > 0 else { throw .init("cron step in '\(part)' must be a positive number") }
                step = s
            }
            let base = pieces.first ?? ""
            var low: Int, high: Int
            if base == "*" || base == "?" {
                (low, high) = (range.lowerBound, range.upperBound)
            } else if let dash = base.firstIndex(of: "-") {
                low = try single(String(base[..<dash]), range: range, names: names)
                high = try single(String(base[base.index(after: dash)...]), range: range, names: names)
            } else {
                low = try single(base, range: range, names: names)
                // `5/10` runs from 5 to the end of the range.
                high = pieces.count == 2 ? range.upperBound : low
            }
            if high < low {
                guard wraps else { throw .init("cron range '\(base)' runs backwards") }
                high += range.count
            }
            for v in stride(from: low, through: high, by: step) {
                result.insert(v > range.upperBound ? v - range.count : v)
            }
        }
        guard !result.isEmpty else { throw .init("cron field '\(field)' matches nothing") }
        return result
    }
}
