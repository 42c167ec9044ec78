import Foundation
import Hummingbird
import HummingbirdCore

/// `/_sandbox/ga4…` and `/_sandbox/ga/…`: test switches of the Google Analytics emulators, never
/// part of Google's APIs.
///
/// - `GET /_sandbox/ga4` Google's clock (`now`, `pinned`), the data anchor (events lie in the ten
///   days before it), the GA4 properties and UA views with their time zones, quota limits and use.
/// - `POST /_sandbox/ga4?now=2026-03-01T10:30:00Z` pins Google's clock (UA and GA4: what has
///   arrived, `today`, token expiry, quota hours and days, `isDataGolden`); `now=real` follows the
///   wall clock again.
/// - `POST /_sandbox/ga4/late-hits?property=401000001&hour=2026-03-01T10:00:00Z&count=N` adds N
///   sessions (one `session_start` event each, a new user each) in that hour of the property,
///   arriving now, as Google's processing delivers late data. The hour must have begun and lie
///   within the last 48 hours (Google's processing window).
/// - `POST /_sandbox/ga/late-hits?hour=…&count=N` the same for the Universal Analytics web property
///   (every view sees them): N hits of one session each.
/// - `POST /_sandbox/ga4/quota?tokensPerHour=…&tokensPerDay=…&tokensPerProjectPerHour=…&concurrentRequests=…&serverErrorsPerProjectPerHour=…[&reset=true]`
///   sets GA4 quota limits (Google's standard-property limits by default); `reset` forgets the use so far.
struct GoogleAnalyticsAdminRoutes {
    let google: GoogleAnalyticsState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/_sandbox/ga4") { _, _ -> Response in status() }
        router.post("/_sandbox/ga4") { request, _ -> Response in
            guard let text = request.uri.queryParameters.get("now").map({ String($0) }) else { return bad("now is required (an ISO 8601 instant, or real)") }
            if text == "real" {
                google.with { $0.pinnedNow = nil }
            } else {
                guard let t = SandboxFormat.parseISO(text), text.count > 10 else { return bad("now must be an ISO 8601 instant such as 2026-03-01T10:30:00Z, or real") }
                google.with { $0.pinnedNow = t }
            }
            return status()
        }
        router.post("/_sandbox/ga4/late-hits") { request, _ -> Response in
            let q = request.uri.queryParameters
            guard let id = q.get("property").map({ String($0) }), let property = google.ga4Properties.first(where: { $0.id == id }) else {
                return bad("property must be one of \(google.ga4Properties.prefix(5).map(\.id).joined(separator: ", "))…")
            }
            switch window(q) {
            case .refused(let response): return response
            case .hour(let start, let now, let count):
                _ = google.events(property)
                google.with { d in
                    for k in 0..<count {
                        let n = d.ga4LateCount
                        d.ga4LateCount += 1
                        let time = min(start + Int64((k * 7 % 60) * 60_000 + 30_000), now)
                        d.ga4Events[property.id, default: []].append(GA4Event(
                            time: time, arrival: now, user: Int32.max - Int32(n % 1_000_000), name: 0,
                            country: UInt8(n % 6), device: UInt8(n % 3), source: UInt8(n % 5)))
                    }
                }
                return SandboxHTTP.json(#"{"added":\#(count),"property":"\#(id)","hour":"\#(GoogleAPI.timestamp(start))","arrival":"\#(GoogleAPI.timestamp(now))"}"#)
            }
        }
        router.post("/_sandbox/ga/late-hits") { request, _ -> Response in
            switch window(request.uri.queryParameters) {
            case .refused(let response): return response
            case .hour(let start, let now, let count):
                google.with { d in
                    for k in 0..<count {
                        let time = min(start + Int64((k * 7 % 60) * 60_000), now / 60_000 * 60_000)
                        let row: [SandboxValue] = [.time(time), .string(["Japan", "Switzerland", "Brazil"][k % 3]), .string(["desktop", "mobile"][k % 2]),
                                                   .string("/late/\(k)"), .int(1), .int(1), .int(1), .double(100)]
                        d.uaLateHits.append(.init(row: row, arrival: now))
                    }
                }
                return SandboxHTTP.json(#"{"added":\#(count),"hour":"\#(GoogleAPI.timestamp(start))","arrival":"\#(GoogleAPI.timestamp(now))"}"#)
            }
        }
        router.post("/_sandbox/ga4/quota") { request, _ -> Response in
            let q = request.uri.queryParameters
            func value(_ name: String) -> Int? { q.get(name).flatMap { Int(String($0)) } }
            google.with { d in
                if let v = value("tokensPerDay") { d.quotaLimits.tokensPerDay = v }
                if let v = value("tokensPerHour") { d.quotaLimits.tokensPerHour = v }
                if let v = value("tokensPerProjectPerHour") { d.quotaLimits.tokensPerProjectPerHour = v }
                if let v = value("concurrentRequests") { d.quotaLimits.concurrentRequests = v }
                if let v = value("serverErrorsPerProjectPerHour") { d.quotaLimits.serverErrorsPerProjectPerHour = v }
                if q.get("reset") == "true" { d.quotaUse = [:] }
            }
            return status()
        }
    }

    /// The hour a late-hits request names (its start), Google's now, and the count.
    func window(_ q: FlatDictionary<Substring, Substring>) -> Window {
        let now = google.now()
        guard let text = q.get("hour").map({ String($0) }), let t = SandboxFormat.parseISO(text) else {
            return .refused(bad("hour must be an ISO 8601 instant inside the hour, such as 2026-03-01T10:00:00Z"))
        }
        let count = q.get("count").flatMap { Int(String($0)) } ?? 1
        guard (1...100_000).contains(count) else { return .refused(bad("count must be 1 to 100000")) }
        let start = t / 3_600_000 * 3_600_000
        guard start <= now else { return .refused(bad("the hour has not begun on Google's clock (\(GoogleAPI.timestamp(now)))")) }
        guard start + 3_600_000 > now - 48 * 3_600_000 else {
            return .refused(bad("Google processes late data for up to 48 hours; that hour ended before \(GoogleAPI.timestamp(now - 48 * 3_600_000))"))
        }
        return .hour(start, now, count)
    }

    enum Window { case hour(Int64, Int64, Int), refused(Response) }

    func bad(_ message: String) -> Response {
        SandboxHTTP.json(#"{"error":\#(SandboxFormat.jsonString(message))}"#, status: .badRequest)
    }

    func status() -> Response {
        let now = google.now()
        let (pinned, limits, use) = google.with { ($0.pinnedNow != nil, $0.quotaLimits, $0.quotaUse) }
        let properties = google.ga4Properties.prefix(20).map { p -> [String: Any] in
            var o: [String: Any] = ["id": p.id, "timeZone": p.timeZone, "displayName": p.displayName]
            if let u = use[p.id] { o["quotaUse"] = ["hourTokens": u.hourTokens, "dayTokens": u.dayTokens, "serverErrors": u.serverErrors] }
            return o
        }
        let views = google.uaViews.prefix(20).map { ["id": $0.id, "timezone": $0.timezone, "name": $0.name] }
        return GoogleAPI.json([
            "now": GoogleAPI.timestamp(now), "pinned": pinned, "anchor": GoogleAPI.timestamp(google.generator.anchor),
            "ga4PropertyCount": google.ga4Properties.count, "ga4Properties": properties,
            "uaViewCount": google.uaViews.count, "uaViews": views,
            "quotaLimits": ["tokensPerDay": limits.tokensPerDay, "tokensPerHour": limits.tokensPerHour,
                            "tokensPerProjectPerHour": limits.tokensPerProjectPerHour, "concurrentRequests": limits.concurrentRequests,
                            "serverErrorsPerProjectPerHour": limits.serverErrorsPerProjectPerHour],
        ])
    }
}
