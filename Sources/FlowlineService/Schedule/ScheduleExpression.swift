/// A schedule as AppFlow accepts it: `rate(N unit)` or AWS's six-field `cron(min hour dom month dow year)`.
///
/// Parsing checks the syntax field by field so a bad schedule is refused when the flow is
/// created, not when it would first fire.
public enum ScheduleExpression: Sendable, Equatable {
    case rate(seconds: Int64)
    case cron(fields: [String])

    public init(_ text: String) throws(ScheduleExpressionError) {
        let t = text.trimmingSpaces()
        if t.hasPrefix("rate("), t.hasSuffix(")") {
            self = try Self.parseRate(String(t.dropFirst(5).dropLast()))
        } else if t.hasPrefix("cron("), t.hasSuffix(")") {
            self = try Self.parseCron(String(t.dropFirst(5).dropLast()))
        } else {
            throw .init("'\(text)' is neither rate(...) nor cron(...)")
        }
    }

    private static func parseRate(_ body: String) throws(ScheduleExpressionError) -> ScheduleExpression {
        // AppFlow writes both `rate(5 minutes)` and `rate(5minutes)`.
        let digits = body.prefix { $0.isNumber }
        let unit = String(body.dropFirst(digits.count)).trimmingSpaces().lowercased()
        guard let n = Int64(digits), n > 0 else { throw .init("rate needs a positive whole number, got '\(body)'") }
        let seconds: Int64
        switch unit {
        case "minute", "minutes": seconds = 60
        case "hour", "hours": seconds = 3600
        case "day", "days": seconds = 86_400
        default: throw .init("rate unit must be minute(s), hour(s) or day(s), got '\(unit)'")
        }
        return .rate(seconds: n * seconds)
    }

    private static func parseCron(_ body: String) throws(ScheduleExpressionError) -> ScheduleExpression {
        let fields = body.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 6 else {
            throw .init("cron needs 6 fields (minutes hours day-of-month month day-of-week year), got \(fields.count)")
        }
        let limits: [(String, ClosedRange<Int>, String)] = [
            ("minutes", 0...59, ",-*/"), ("hours", 0...23, ",-*/"), ("day-of-month", 1...31, ",-*?/LW"),
            ("month", 1...12, ",-*/"), ("day-of-week", 1...7, ",-*?/L#"), ("year", 1970...2199, ",-*/"),
        ]
        for (field, (name, range, specials)) in zip(fields, limits) {
            try checkCronField(field, name: name, range: range, specials: specials)
        }
        // AWS: one of day-of-month and day-of-week must be '?'.
        if fields[2] != "?" && fields[4] != "?" {
            throw .init("cron: either day-of-month or day-of-week must be '?'")
        }
        return .cron(fields: fields)
    }

    private static let monthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
    private static let dayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

    private static func checkCronField(_ field: String, name: String, range: ClosedRange<Int>, specials: String) throws(ScheduleExpressionError) {
        for ch in field where !(ch.isNumber || ch.isLetter || specials.contains(ch)) {
            throw .init("cron \(name) field '\(field)' has an unexpected '\(ch)'")
        }
        for part in field.split(separator: ",") {
            for token in part.split(whereSeparator: { "-/#".contains($0) }) {
                let t = token.uppercased()
                if t == "*" || t == "?" || t == "L" || t == "W" || t.hasSuffix("L") || t.hasSuffix("W") { continue }
                if let n = Int(t) {
                    // Steps and nth-weekday counts are small numbers, not field values.
                    if part.contains("/") || part.contains("#") {
                        guard n >= 0 else { throw .init("cron \(name) step '\(t)' must not be negative") }
                        continue
                    }
                    guard range.contains(n) else { throw .init("cron \(name) value \(n) is outside \(range.lowerBound)-\(range.upperBound)") }
                    continue
                }
                if name == "month", monthNames.contains(t) { continue }
                if name == "day-of-week", dayNames.contains(t) { continue }
                throw .init("cron \(name) field '\(field)' has an unknown value '\(token)'")
            }
        }
    }
}

public struct ScheduleExpressionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
