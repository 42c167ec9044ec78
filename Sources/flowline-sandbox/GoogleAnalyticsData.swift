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
