import Testing
@testable import FlowlineService

@Suite struct ScheduleExpressionTests {
    @Test(arguments: [("rate(5minutes)", 300), ("rate(5 minutes)", 300), ("rate(1 hour)", 3600), ("rate(2days)", 172_800)])
    func ratesParse(text: String, seconds: Int64) throws {
        #expect(try ScheduleExpression(text) == .rate(seconds: seconds))
    }

    @Test func cronKeepsItsSixFields() throws {
        #expect(try ScheduleExpression("cron(0/15 8-17 ? * MON-FRI *)") == .cron(fields: ["0/15", "8-17", "?", "*", "MON-FRI", "*"]))
        #expect(try ScheduleExpression("cron(0 12 L * ? 2027)") == .cron(fields: ["0", "12", "L", "*", "?", "2027"]))
    }

    @Test(arguments: [
        ("rate(0 minutes)", "positive"),
        ("rate(5 weeks)", "unit"),
        ("cron(0 12 * * *)", "6 fields"),
        ("cron(0 24 * * ? *)", "hours value 24"),
        ("cron(0 12 1 * MON *)", "'?'"),
        ("cron(0 12 ? FOO * *)", "unknown value"),
        ("every day", "neither"),
    ])
    func badSchedulesSayWhatIsWrong(text: String, fragment: String) {
        #expect {
            try ScheduleExpression(text)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }
}
