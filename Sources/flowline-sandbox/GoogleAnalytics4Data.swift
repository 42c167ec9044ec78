import Foundation

/// A GA4 property the Admin API lists.
struct GA4Property: Sendable {
    var id: String
    var displayName: String
    var accountId: String
    var accountName: String
    var timeZone: String
    var currencyCode: String
    var zone: TimeZone
    /// Salt of its generated events.
    var salt: UInt64

    var name: String { "properties/\(id)" }

    /// `count` properties (at least two): a Tokyo one and a UTC one in account "Sandbox Co", then
    /// one property per further account, so listing them needs `accountSummaries` paging.
    static func catalog(count: Int) -> [GA4Property] {
        (0..<max(count, 2)).map { i in
            switch i {
            case 0:
                return GA4Property(id: "401000001", displayName: "Sandbox Shop (Tokyo)", accountId: "2001", accountName: "Sandbox Co",
                                   timeZone: "Asia/Tokyo", currencyCode: "JPY", zone: TimeZone(identifier: "Asia/Tokyo")!, salt: 41)
            case 1:
                return GA4Property(id: "401000002", displayName: "Sandbox Shop (UTC)", accountId: "2001", accountName: "Sandbox Co",
                                   timeZone: "UTC", currencyCode: "USD", zone: TimeZone(identifier: "UTC")!, salt: 42)
            default:
                return GA4Property(id: String(401_000_000 + i + 1), displayName: "Property \(i + 1)", accountId: String(3000 + i),
                                   accountName: "Account \(i + 1)", timeZone: "America/Los_Angeles", currencyCode: "USD",
                                   zone: TimeZone(identifier: "America/Los_Angeles")!, salt: 40 + UInt64(i + 1))
            }
        }
    }
}

/// One GA4 event: when it happened, when Google finished processing it (a report counts it only
/// from then on), who, and the dimensions the sandbox reports.
struct GA4Event: Sendable {
    var time: Int64
    var arrival: Int64
    var user: Int32
    var name: UInt8
    var country: UInt8
    var device: UInt8
    var source: UInt8
}

/// The dimensions and metrics the Data API emulator serves, as `properties/{id}/metadata` lists them.
enum GA4Schema {
    static let eventNames = ["session_start", "page_view", "user_engagement", "scroll", "first_visit"]
    static let countries = ["Japan", "United States", "Switzerland", "Brazil", "Poland", "Côte d’Ivoire"]
    static let devices = ["desktop", "mobile", "tablet"]
    static let sources = ["google", "(direct)", "bing", "newsletter", "t.co"]

    struct Dimension { var apiName, uiName, description, category: String }
    struct Metric { var apiName, uiName, description, type, category: String }

    static let dimensions: [Dimension] = [
        Dimension(apiName: "date", uiName: "Date", description: "The date of the event, formatted as YYYYMMDD.", category: "Time"),
        Dimension(apiName: "dateHour", uiName: "Date + hour (YYYYMMDDHH)", description: "The combined values of date and hour formatted as YYYYMMDDHH.", category: "Time"),
        Dimension(apiName: "dateHourMinute", uiName: "Date hour and minute", description: "The combined values of date, hour, and minute formatted as YYYYMMDDHHMM.", category: "Time"),
        Dimension(apiName: "hour", uiName: "Hour", description: "The two-digit hour of the day that the event was logged (0 through 23).", category: "Time"),
        Dimension(apiName: "minute", uiName: "Minute", description: "The two-digit minute of the hour that the event was logged (0 through 59).", category: "Time"),
        Dimension(apiName: "country", uiName: "Country", description: "The country from which the user activity originated.", category: "Geography"),
        Dimension(apiName: "deviceCategory", uiName: "Device category", description: "The type of device: Desktop, Tablet, or Mobile.", category: "Platform / Device"),
        Dimension(apiName: "sessionSource", uiName: "Session source", description: "The source that initiated a session on your website or app.", category: "Traffic Source"),
        Dimension(apiName: "eventName", uiName: "Event name", description: "The name of the event.", category: "Event"),
    ]

    static let metrics: [Metric] = [
        Metric(apiName: "sessions", uiName: "Sessions", description: "The number of sessions that began on your site or app (session_start events).", type: "TYPE_INTEGER", category: "Session"),
        Metric(apiName: "activeUsers", uiName: "Active users", description: "The number of distinct users who visited your site or app.", type: "TYPE_INTEGER", category: "User"),
        Metric(apiName: "newUsers", uiName: "New users", description: "The number of users who interacted with your site for the first time (first_visit events).", type: "TYPE_INTEGER", category: "User"),
        Metric(apiName: "screenPageViews", uiName: "Views", description: "The number of app screens or web pages your users viewed.", type: "TYPE_INTEGER", category: "Page / Screen"),
        Metric(apiName: "eventCount", uiName: "Event count", description: "The count of events.", type: "TYPE_INTEGER", category: "Event"),
        Metric(apiName: "eventsPerSession", uiName: "Events per session", description: "The average number of events per session (Event count divided by Sessions).", type: "TYPE_FLOAT", category: "Event"),
    ]

    static let metricTypes: [Int: String] = [0: "METRIC_TYPE_UNSPECIFIED", 1: "TYPE_INTEGER", 2: "TYPE_FLOAT", 4: "TYPE_SECONDS"]
    static let metricTypeNumbers = ["TYPE_INTEGER": 1, "TYPE_FLOAT": 2, "TYPE_SECONDS": 4]

    static func dimension(_ name: String) -> Dimension? { dimensions.first { $0.apiName == name } }
    static func metric(_ name: String) -> Metric? { metrics.first { $0.apiName == name } }
}

extension SandboxGenerator {
    /// A property's events: `records` of them at random instants in the ten days before the anchor.
    /// Processing delays follow Google's data-freshness intervals: half within 5 minutes, 30% within
    /// the 4-hour intraday interval, 15% within the 12-hour daily interval, 5% up to 48 hours
    /// (https://support.google.com/analytics/answer/11198161).
    func ga4Events(_ property: GA4Property) -> [GA4Event] {
        let users = UInt64(max(records / 3, 1))
        return (0..<records).map { i in
            let r = random(i, 1000 + property.salt)
            let time = anchor - 1 - Int64(r % 864_000_000)
            let q = random(i, 2000 + property.salt)
            let bucket = q % 100
            let delay: Int64
            switch bucket {
            case ..<50: delay = Int64((q >> 8) % 300_000)
            case ..<80: delay = 300_000 + Int64((q >> 8) % 14_100_000)
            case ..<95: delay = 14_400_000 + Int64((q >> 8) % 28_800_000)
            default: delay = 43_200_000 + Int64((q >> 8) % 129_600_000)
            }
            let names: [UInt8] = [0, 0, 1, 1, 1, 1, 2, 2, 3, 4]
            return GA4Event(time: time, arrival: time + delay, user: Int32((r >> 20) % users),
                            name: names[Int((r >> 8) % 10)], country: UInt8((r >> 12) % 6),
                            device: UInt8((r >> 16) % 3), source: UInt8((r >> 24) % 5))
        }
    }
}
