import Foundation
import Testing
import FlowlineService

/// Next-fire computation, without waiting on a clock.
@Suite struct CronScheduleTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func date(_ text: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: text)!
    }

    static func iso(_ date: Date?, _ zone: TimeZone = utc) -> String? {
        guard let date else { return nil }
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        return f.string(from: date)
    }

    static func fires(_ expression: String, after: String, count: Int = 3, zone: TimeZone = utc) throws -> [String] {
        let cron = try CronSchedule(expression)
        var at = date(after)
        var out: [String] = []
        for _ in 0..<count {
            guard let next = cron.next(after: at, in: zone) else { break }
            out.append(iso(next, zone)!)
            at = next
        }
        return out
    }

    @Test func stepsRangesAndWeekdayNames() throws {
        // Every 15 minutes from 8:00 to 17:45 on weekdays; 2026-11-27 is a Friday.
        #expect(try Self.fires("cron(0/15 8-17 ? * MON-FRI *)", after: "2026-11-27T17:40:00Z")
                == ["2026-11-27T17:45:00Z", "2026-11-30T08:00:00Z", "2026-11-30T08:15:00Z"])
    }

    @Test func listsAndMonthNames() throws {
        #expect(try Self.fires("cron(5,35 12 1 JAN,JUL ? *)", after: "2026-06-15T00:00:00Z", count: 4)
                == ["2026-07-01T12:05:00Z", "2026-07-01T12:35:00Z", "2027-01-01T12:05:00Z", "2027-01-01T12:35:00Z"])
    }

    @Test func lastDayOfMonthAndLeapYears() throws {
        #expect(try Self.fires("cron(0 23 L * ? *)", after: "2028-01-31T23:00:00Z", count: 3)
                == ["2028-02-29T23:00:00Z", "2028-03-31T23:00:00Z", "2028-04-30T23:00:00Z"])
    }

    @Test func lastAndNthWeekdayAndNearestWeekday() throws {
        // Last Friday of the month; the third Monday; the weekday nearest the 1st (a Saturday in Aug 2026 → Monday 3rd).
        #expect(try Self.fires("cron(0 9 ? * 6L *)", after: "2026-11-01T00:00:00Z", count: 2)
                == ["2026-11-27T09:00:00Z", "2026-12-25T09:00:00Z"])
        #expect(try Self.fires("cron(0 9 ? * MON#3 *)", after: "2026-11-01T00:00:00Z", count: 2)
                == ["2026-11-16T09:00:00Z", "2026-12-21T09:00:00Z"])
        #expect(try Self.fires("cron(0 9 1W * ? *)", after: "2026-07-31T00:00:00Z", count: 1) == ["2026-08-03T09:00:00Z"])
    }

    @Test func yearsEnd() throws {
        #expect(try Self.fires("cron(0 0 1 1 ? 2027-2028)", after: "2026-05-01T00:00:00Z", count: 5)
                == ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"])
    }

    @Test func timeZonesAndDaylightSaving() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        // 02:30 local does not exist on 2026-03-29 (clocks jump 02:00 → 03:00): that day is skipped.
        let fires = try Self.fires("cron(30 2 * * ? *)", after: "2026-03-27T12:00:00Z", count: 3, zone: berlin)
        #expect(fires == ["2026-03-28T02:30:00+01:00", "2026-03-30T02:30:00+02:00", "2026-03-31T02:30:00+02:00"])
        // 09:00 in New York is 14:00 UTC in winter.
        let ny = try CronSchedule("cron(0 9 * * ? *)").next(after: Self.date("2026-12-01T00:00:00Z"), in: TimeZone(identifier: "America/New_York")!)
        #expect(Self.iso(ny) == "2026-12-01T14:00:00Z")
    }

    @Test func rateCountsFromStartWithOffsetAndEnd() {
        let start = Self.date("2026-11-28T10:00:00Z")
        let schedule = FlowSchedule(kind: .rate(seconds: 300), start: start, end: Self.date("2026-11-28T10:20:00Z"), offset: 30)
        let anchor = Self.date("2026-11-28T09:00:00Z")
        #expect(Self.iso(schedule.nextFire(after: anchor, anchor: anchor)) == "2026-11-28T10:00:30Z")
        #expect(Self.iso(schedule.nextFire(after: Self.date("2026-11-28T10:00:30Z"), anchor: anchor)) == "2026-11-28T10:05:30Z")
        #expect(Self.iso(schedule.nextFire(after: Self.date("2026-11-28T10:07:00Z"), anchor: anchor)) == "2026-11-28T10:10:30Z")
        #expect(schedule.nextFire(after: Self.date("2026-11-28T10:15:30Z"), anchor: anchor) == nil)
        // Without a start time a rate counts from when the scheduler first saw the flow active.
        let open = FlowSchedule(kind: .rate(seconds: 60))
        #expect(Self.iso(open.nextFire(after: anchor, anchor: anchor)) == "2026-11-28T09:01:00Z")
        // After downtime the next fire is the next one after now: missed runs are not replayed.
        #expect(Self.iso(open.nextFire(after: Self.date("2026-11-28T12:00:10Z"), anchor: anchor)) == "2026-11-28T12:01:00Z")
    }

    @Test func cronRespectsStartTime() {
        let schedule = FlowSchedule(kind: .cron(try! CronSchedule("cron(0 * * * ? *)")), start: Self.date("2026-11-28T15:30:00Z"))
        let anchor = Self.date("2026-11-28T09:00:00Z")
        #expect(Self.iso(schedule.nextFire(after: anchor, anchor: anchor)) == "2026-11-28T16:00:00Z")
    }

    @Test(arguments: ["cron(0 12 ? * FOO-BAR *)", "cron(0/0 * * * ? *)", "cron(0 12 ? * 2#9 *)", "cron(70 * * * ? *)"])
    func badCronIsRefused(_ text: String) {
        #expect(throws: ScheduleExpressionError.self) { try CronSchedule(text) }
    }
}
