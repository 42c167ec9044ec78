import Foundation

/// One Google Analytics view's hits, one row per minute going back from the sandbox's start:
/// the time (ga:dateHourMinute) and three dimensions, with four metrics.
extension SandboxGenerator {
    static let gaViewId = "187654321"

    var googleAnalyticsView: SandboxTable {
        let fields = [
            SandboxField(name: "ga:dateHourMinute", nativeType: "DIMENSION:STRING", kind: .time),
            SandboxField(name: "ga:country", nativeType: "DIMENSION:STRING", kind: .string),
            SandboxField(name: "ga:deviceCategory", nativeType: "DIMENSION:STRING", kind: .string),
            SandboxField(name: "ga:pagePath", nativeType: "DIMENSION:STRING", kind: .string),
            SandboxField(name: "ga:sessions", nativeType: "METRIC:INTEGER", kind: .int),
            SandboxField(name: "ga:users", nativeType: "METRIC:INTEGER", kind: .int),
            SandboxField(name: "ga:pageviews", nativeType: "METRIC:INTEGER", kind: .int),
            SandboxField(name: "ga:bounceRate", nativeType: "METRIC:PERCENT", kind: .double),
        ]
        let countries = ["Switzerland", "Brazil", "United States", "Poland", "Japan", "Côte d’Ivoire"]
        let rows: [[SandboxValue]] = (0..<records).map { i in
            let r = random(i, 31)
            let sessions = Int64(r % 40 + 1)
            return [.time(anchor - Int64(i + 1) * 60_000), .string(countries[Int(r % 6)]),
                    .string(["desktop", "mobile", "tablet"][Int(r % 3)]), .string("/products/\(r % 50)?ref=a,b"),
                    .int(sessions), .int(sessions - Int64(r % UInt64(sessions))), .int(sessions * Int64(r % 5 + 1)),
                    .double(Double(r % 10_000) / 100)]
        }
        return SandboxTable(name: "analytics", label: "All Web Site Data", fields: fields, rows: rows, modifiedField: 0, deletedField: nil)
    }
}

/// A Universal Analytics view (profile) the Management API lists. All views report the hits of
/// the `analytics` table, each in its own time zone.
struct UAView: Sendable {
    var id: String
    var name: String
    var accountId: String
    var accountName: String
    var webPropertyId: String
    var webPropertyName: String
    var internalWebPropertyId: String
    var timezone: String
    var currency: String
    var zone: TimeZone

    /// `count` views: the first is the original view (UTC); the second a view of the same web
    /// property in Asia/Tokyo; every further view sits alone in an account of its own, so more
    /// than 1,000 views means more than 1,000 account summaries.
    static func catalog(count: Int) -> [UAView] {
        (0..<max(count, 1)).map { i in
            switch i {
            case 0:
                return UAView(id: SandboxGenerator.gaViewId, name: "All Web Site Data", accountId: "4711", accountName: "Sandbox Co",
                              webPropertyId: "UA-4711-1", webPropertyName: "www.example.com", internalWebPropertyId: "98765",
                              timezone: "UTC", currency: "USD", zone: TimeZone(identifier: "UTC")!)
            case 1:
                return UAView(id: "187654322", name: "Tokyo", accountId: "4711", accountName: "Sandbox Co",
                              webPropertyId: "UA-4711-1", webPropertyName: "www.example.com", internalWebPropertyId: "98765",
                              timezone: "Asia/Tokyo", currency: "JPY", zone: TimeZone(identifier: "Asia/Tokyo")!)
            default:
                let account = String(10_000 + i)
                return UAView(id: String(300_000_000 + i), name: "All Web Site Data", accountId: account, accountName: "Account \(i)",
                              webPropertyId: "UA-\(account)-1", webPropertyName: "site\(i).example.com", internalWebPropertyId: String(200_000 + i),
                              timezone: "UTC", currency: "USD", zone: TimeZone(identifier: "UTC")!)
            }
        }
    }
}
