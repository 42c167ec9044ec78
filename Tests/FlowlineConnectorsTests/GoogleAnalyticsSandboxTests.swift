import Foundation
import Testing
import FlowlineTestSupport

/// The sandbox's Google Analytics emulators checked by Google's own client libraries, so the
/// emulator (written from Google's documentation) and Flowline's connectors do not share
/// assumptions: google-analytics-admin and google-analytics-data (REST transport) for GA4,
/// google-api-python-client with its static discovery documents for Universal Analytics. The
/// scripts in google/ print what the clients saw as one JSON line.
@Suite struct GoogleAnalyticsSandboxTests {
    func run(_ script: String, _ sandbox: SandboxProcess, environment extra: [String: String] = [:]) throws -> [String: Any] {
        var environment = ProcessInfo.processInfo.environment
        environment["SANDBOX_URL"] = sandbox.url
        for (k, v) in extra { environment[k] = v }
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("google/\(script)").path
        let result = try Subprocess.run(Subprocess.which("python3") ?? "/usr/bin/python3", [path], environment: environment)
        guard result.status == 0 else {
            throw GoogleClientFailure(description: "\(script) failed (\(result.status)); scripts/bootstrap installs google-analytics-data, google-analytics-admin and google-api-python-client:\n\(result.stderr)")
        }
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }

    @Test("GA4: account summaries paged, properties' time zones, metadata, runReport by limit/offset to rowCount, filters, quotas, late data, token expiry")
    func ga4ThroughGoogleClients() throws {
        let sandbox = try SandboxProcess(records: 14_000, extra: ["--ga4-properties", "260"])
        let s = try run("ga4_client_checks.py", sandbox)

        // 260 properties: two in "Sandbox Co", then one per account: 259 accounts, 50 a page by
        // default, and a page size of 500 coerced to Google's maximum of 200.
        #expect(s["accounts"] as? Int == 259)
        #expect(s["propertyCount"] as? Int == 260)
        #expect(s["summaryPagesDefault"] as? Int == 6)
        #expect(s["summaryFirstPageSize"] as? Int == 50)
        #expect(s["summaryPagesAt500"] as? [Int] == [200, 59])
        #expect(s["timeZones"] as? [String: String] == ["401000001": "Asia/Tokyo", "401000002": "UTC"])
        #expect(s["currencies"] as? [String: String] == ["401000001": "JPY", "401000002": "USD"])

        let dimensions = s["dimensions"] as? [String] ?? []
        #expect(Set(["date", "dateHour", "dateHourMinute", "country", "deviceCategory", "sessionSource"]).isSubset(of: Set(dimensions)))
        let types = s["metricTypes"] as? [String: String] ?? [:]
        for metric in ["sessions", "activeUsers", "screenPageViews", "eventCount"] { #expect(types[metric] == "TYPE_INTEGER") }
        #expect(types["eventsPerSession"] == "TYPE_FLOAT")

        // limit/offset pages of 700 up to rowCount equal one 250,000-row read; the default limit is 10,000.
        let rowCount = s["rowCount"] as? Int ?? 0
        #expect(rowCount > 10_000)
        #expect(s["wholeRows"] as? Int == rowCount)
        #expect(s["pagedRows"] as? Int == rowCount && s["pagedDistinct"] as? Int == rowCount)
        #expect(s["pagedRequests"] as? Int == (rowCount + 699) / 700)
        #expect(s["pagedEqualsWhole"] as? Bool == true)
        #expect(s["defaultLimitRows"] as? Int == 10_000)
        #expect(s["metadataTimeZone"] as? String == "UTC")

        let quota = s["quota"] as? [String: Int] ?? [:]
        #expect((quota["tokensPerHourConsumed"] ?? 0) >= 1)
        #expect(quota["tokensPerHourRemainingDrop"] == quota["tokensPerHourConsumed"])
        #expect((quota["tokensPerDayRemaining"] ?? 0) > 199_000 && (quota["tokensPerProjectPerHourRemaining"] ?? 0) < 14_000)
        #expect(quota["concurrentRemaining"] == 10 && quota["serverErrorsRemaining"] == 10 && quota["thresholdedRemaining"] == 120)

        let filters = s["filters"] as? [String: Any] ?? [:]
        #expect(filters["beginsWith"] as? Bool == true && filters["inList"] as? Bool == true)
        #expect(filters["exact"] as? Bool == true && filters["total"] as? Bool == true)   // enums sent as numbers (EXACT and TOTAL are 1)
        let rawNumbers = s["rawNumbers"] as? [String: Any] ?? [:]
        #expect(rawNumbers["code"] as? Int == 200 && rawNumbers["rows"] as? Int == 1 && (rawNumbers["rowCount"] as? Int ?? 0) >= 10)
        #expect(rawNumbers["metricType"] as? String == "TYPE_INTEGER")
        let negative = s["rawNegativeLimit"] as? [String: Any] ?? [:]
        #expect(negative["code"] as? Int == 400 && negative["errorCode"] as? Int == 400 && negative["status"] as? String == "INVALID_ARGUMENT")
        #expect((s["badDimension"] as? String)?.hasPrefix("BadRequest") == true && (s["badDimension"] as? String)?.contains("ga:date") == true)
        #expect((s["unknownProperty"] as? String)?.hasPrefix("Forbidden") == true)

        // An hour read while open has fewer sessions than three hours later; late sessions add exactly;
        // Google keeps processing for up to 48 hours.
        for (property, late) in s["lateData"] as? [String: [String: Any]] ?? [:] {
            let open = late["open"] as? Int ?? -1, later = late["threeHoursLater"] as? Int ?? -1
            let after = late["afterLateHits"] as? Int ?? -1, settled = late["settled"] as? Int ?? -1
            #expect(open < later, "\(property): \(late)")
            #expect(after == later + 5, "\(property): \(late)")
            #expect(settled >= after, "\(property): \(late)")
        }
        #expect((s["lateData"] as? [String: Any])?.count == 2)
        // Seven late sessions in one UTC hour appear in that hour for the UTC property and nine
        // hours later for the Tokyo one.
        for (property, shift) in s["zoneShift"] as? [String: [String: Any]] ?? [:] {
            let expected = shift["expected"] as? String ?? "?"
            #expect(shift["changed"] as? [String: Int] == [expected: 7], "\(property): \(shift)")
        }

        #expect(s["renewedAfterExpiry"] as? Int == 1)
        #expect(s["renewedAfterRevocation"] as? Int == 1)
        #expect((s["badRefreshToken"] as? String)?.contains("invalid_grant") == true)
        let exhaustion = s["exhaustion"] as? [String: Any] ?? [:]
        #expect(exhaustion["served"] as? Int == 5)
        #expect((exhaustion["refusal"] as? String)?.contains("429") == true)
        #expect((exhaustion["refusal"] as? String)?.contains("Exhausted property tokens per hour") == true)
        #expect(exhaustion["nextHourRemaining"] as? Int == 4)
    }

    @Test("Universal Analytics: accountSummaries past 1,000 by start-index, view time zones, batchGet paging, Tokyo view nine hours on, golden data and late hits")
    func universalAnalyticsThroughGoogleAPIPythonClient() throws {
        let sandbox = try SandboxProcess(records: 3_000, pageSize: 100_000, extra: ["--ga-views", "1005"])
        let s = try run("ua_client_checks.py", sandbox)
        // 1,005 views: two in account 4711, then one per account: 1,004 accounts in two pages of at most 1,000.
        #expect(s["totalResults"] as? Int == 1004)
        #expect(s["defaultItemsPerPage"] as? Int == 1000 && s["firstPageItems"] as? Int == 1000)
        #expect(s["summaryPages"] as? Int == 2)
        #expect(s["views"] as? Int == 1005 && s["distinctViews"] as? Int == 1005)
        #expect(s["itemsPerPageAt5000"] as? Int == 1000)
        #expect(s["timezones"] as? [String: String] == ["187654321": "UTC", "187654322": "Asia/Tokyo"])
        #expect(s["tokyoProfile"] as? String == "Asia/Tokyo")

        let report = s["report"] as? [String: Any] ?? [:]
        #expect(report["rows"] as? Int == 3000 && report["distinct"] as? Int == 3000 && report["rowCount"] as? Int == 3000)
        #expect(report["requests"] as? Int == 8)
        #expect(report["ordered"] as? Bool == true)
        #expect(report["golden"] as? Bool == false)   // the range ends today

        let zones = s["zones"] as? [String: Any] ?? [:]
        #expect(zones["tokyoEqualsUtcPlusNine"] as? Bool == true)
        #expect((zones["hours"] as? Int ?? 0) >= 50)

        let late = s["late"] as? [String: Any] ?? [:]
        #expect((late["after"] as? Int ?? 0) == (late["before"] as? Int ?? -1) + 6)
        #expect(late["goldenWhileRecent"] as? Bool == false && late["goldenThreeDaysOn"] as? Bool == true)
        #expect(s["unknownView"] as? String == "403 PERMISSION_DENIED")
        #expect(s["unknownMetric"] as? String == "400 INVALID_ARGUMENT")
    }

    @Test("By default the sandbox lists the one UA view it always had, and two GA4 properties")
    func defaultsListWhatTheyAlwaysListed() throws {
        let sandbox = try SandboxProcess(records: 10)
        let status = try sandbox.admin("/_sandbox/ga4", method: "GET")
        #expect(status["uaViewCount"] as? Int == 1)
        #expect(status["ga4PropertyCount"] as? Int == 2)
        #expect(status["pinned"] as? Bool == false)
    }
}

struct GoogleClientFailure: Error, CustomStringConvertible {
    let description: String
}
