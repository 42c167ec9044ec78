import Foundation

/// How the console prints times, numbers, sizes and durations.
enum ConsoleFormat {
    static func date(_ date: Date) -> String {
        date.formatted(Date.VerbatimFormatStyle(format: "\(year: .defaultDigits)-\(month: .twoDigits)-\(day: .twoDigits) \(hour: .twoDigits(clock: .twentyFourHour, hourCycle: .zeroBased)):\(minute: .twoDigits):\(second: .twoDigits)",
                                                timeZone: .gmt, calendar: Calendar(identifier: .gregorian))) + " UTC"
    }

    static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }

    static func bytes(_ value: Int64?) -> String {
        guard let value else { return "—" }
        if value < 1024 { return "\(value) B" }
        let units = ["KB", "MB", "GB", "TB"]
        var size = Double(value) / 1024, unit = 0
        while size >= 1024, unit < units.count - 1 { size /= 1024; unit += 1 }
        return String(format: "%.1f %@", size, units[unit])
    }

    static func duration(from start: Date?, to end: Date?) -> String {
        guard let start, let end else { return "—" }
        let seconds = max(0, end.timeIntervalSince(start))
        return seconds < 60 ? String(format: "%.1f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }
}
