import Foundation
import Hummingbird

/// Universal Analytics on one host, behind the OAuth token endpoint of `GoogleOAuthRoutes`.
/// Google shut these APIs down on 1 July 2024; the emulator follows their last documentation
/// (the `analytics` v3 and `analyticsreporting` v4 discovery documents shipped in
/// google-api-python-client, and the pages named). Emulated:
/// - `GET /analytics/v3/management/accountSummaries`: `max-results` default and maximum 1000
///   (larger values are capped), `start-index` from 1, `totalResults`, `itemsPerPage`,
///   `startIndex`, `nextLink`/`previousLink`; paged by account
///   (https://developers.google.com/analytics/devguides/config/mgmt/v3/mgmtReference/management/accountSummaries/list).
/// - `GET /analytics/v3/management/accounts/{a}/webproperties/{w}/profiles[/{p}]` with `~all`
///   wildcards: views with their `timezone` and `currency`, paged like accountSummaries
///   (https://developers.google.com/analytics/devguides/config/mgmt/v3/mgmtReference/management/profiles).
/// - `GET /analytics/v3/metadata/ga/columns`: columns with `attributes.type`, `dataType`, `status`
///   (https://developers.google.com/analytics/devguides/reporting/metadata/v3/reference/metadata/columns/list).
/// - `POST /v4/reports:batchGet`: 1 to 5 report requests for one `viewId`; at most 9 dimensions
///   and 10 metrics; 1 or 2 `dateRanges` (default 7daysAgo to yesterday) in the view's time zone,
///   one metric set per range; `dimensionFilterClauses`, `metricFilterClauses` and a
///   `filtersExpression` of `==`, `!=`, `=@`, `!@`, `=~`, `!~` (and `>`, `<`, `>=`, `<=` on
///   metrics) joined by `,` (OR) and `;` (AND); `orderBys` (VALUE or DIMENSION_AS_INTEGER,
///   ASCENDING or DESCENDING; dimensions ascending by default); `pageSize` default 1,000, at most
///   100,000 (and the sandbox's `--page-size`), `pageToken`/`nextPageToken`; `totals`,
///   `minimums`, `maximums` unless `hideTotals`/`hideValueRanges`; `rowCount`;
///   `dataLastRefreshed`; `isDataGolden` false while hits for the range may still arrive (within
///   48 hours of its last day's end: "Processing latency is 24-48 hours",
///   https://support.google.com/analytics/answer/1070983); no sampling
///   (https://developers.google.com/analytics/devguides/reporting/core/v4/rest/v4/reports/batchGet).
/// - Time dimensions (`ga:date` YYYYMMDD, `ga:dateHour` YYYYMMDDHH, `ga:dateHourMinute`
///   YYYYMMDDHHMM) are the view's local time, as every Reporting API value is.
/// - Only hits that have arrived by Google's `now` count: generated hits arrive when they happen,
///   late hits (`/_sandbox/ga/late-hits`) when they are added.
/// - Bearer tokens; errors as Google writes them for each API (`GoogleAPI`).
/// Not emulated: sampling (so no `samplesReadCounts`), `includeEmptyRows` (every hit has sessions);
/// `pivots`, `segments` and `cohortGroup` are refused rather than ignored.
struct GoogleAnalyticsRoutes {
    let state: SandboxState
    let google: GoogleAnalyticsState
    static let table = "analytics"

    /// Columns the Metadata API lists: the table's fields, the derived time dimensions, and one deprecated column.
    static let columns: [(id: String, kind: String, dataType: String, status: String)] = [
        ("ga:date", "DIMENSION", "STRING", "PUBLIC"), ("ga:dateHour", "DIMENSION", "STRING", "PUBLIC"),
        ("ga:dateHourMinute", "DIMENSION", "STRING", "PUBLIC"), ("ga:country", "DIMENSION", "STRING", "PUBLIC"),
        ("ga:deviceCategory", "DIMENSION", "STRING", "PUBLIC"), ("ga:pagePath", "DIMENSION", "STRING", "PUBLIC"),
        ("ga:sessions", "METRIC", "INTEGER", "PUBLIC"), ("ga:users", "METRIC", "INTEGER", "PUBLIC"),
        ("ga:pageviews", "METRIC", "INTEGER", "PUBLIC"), ("ga:bounceRate", "METRIC", "PERCENT", "PUBLIC"),
        ("ga:visitors", "METRIC", "INTEGER", "DEPRECATED"),
    ]

    func add(to router: Router<BasicRequestContext>) {
        router.get("/analytics/v3/management/accountSummaries") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return accountSummaries(request)
        }
        router.get("/analytics/v3/management/accounts/:account/webproperties/:property/profiles") { request, context -> Response in
            if let denied = gate(request) { return denied }
            return profiles(request, account: context.parameters.get("account") ?? "", property: context.parameters.get("property") ?? "", id: nil)
        }
        router.get("/analytics/v3/management/accounts/:account/webproperties/:property/profiles/:profile") { request, context -> Response in
            if let denied = gate(request) { return denied }
            return profiles(request, account: context.parameters.get("account") ?? "", property: context.parameters.get("property") ?? "",
                            id: context.parameters.get("profile") ?? "")
        }
        router.get("/analytics/v3/metadata/ga/columns") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let items = Self.columns.map {
                #"{"id":"\#($0.id)","kind":"analytics#column","attributes":{"type":"\#($0.kind)","dataType":"\#($0.dataType)","group":"Sandbox","status":"\#($0.status)","uiName":"\#($0.id.dropFirst(3))"}}"#
            }
            return SandboxHTTP.json(#"{"kind":"analytics#columns","totalResults":\#(items.count),"items":[\#(items.joined(separator: ","))]}"#)
        }
        router.post("/v4/reports:batchGet") { request, _ -> Response in
            if let denied = gate(request, v3: false) { return denied }
            let body = try await request.body.collect(upTo: 1 << 22)
            guard let json = GoogleAPI.object(body), let requests = json["reportRequests"] as? [[String: Any]],
                  (1...5).contains(requests.count) else {
                return GoogleAPI.error(400, "INVALID_ARGUMENT", "reportRequests must hold 1 to 5 report requests")
            }
            let viewId = requests[0]["viewId"] as? String
            guard requests.allSatisfy({ ($0["viewId"] as? String) == viewId }) else {
                return GoogleAPI.error(400, "INVALID_ARGUMENT", "All report requests in a batch must have the same viewId.")
            }
            guard let view = google.uaViews.first(where: { $0.id == viewId }), let table = state.table(Self.table) else {
                return GoogleAPI.error(403, "PERMISSION_DENIED", "User does not have sufficient permissions for this profile.")
            }
            var reports: [[String: Any]] = []
            for r in requests {
                do {
                    reports.append(try UAReport(request: r, view: view, now: google.now(), pageCap: state.pageSize).run(rows: hits(table)))
                } catch let f as UAReport.Failure {
                    return GoogleAPI.error(400, "INVALID_ARGUMENT", f.message)
                }
            }
            return GoogleAPI.json(["reports": reports])
        }
    }

    /// The hits that have arrived by Google's now: the table's (each arrives as it happens) and late ones.
    func hits(_ table: SandboxTable) -> [[SandboxValue]] {
        let now = google.now()
        let late = google.with { $0.uaLateHits }
        var rows = table.rows.filter { if case .time(let t) = $0[0] { return t <= now } else { return false } }
        rows += late.filter { $0.arrival <= now }.map(\.row)
        return rows
    }

    func gate(_ request: Request, v3: Bool = true) -> Response? {
        if let f = GoogleAPI.fault(state, google) { return f }
        guard GoogleAPI.authorized(request, state, google) else {
            return v3 ? GoogleAPI.v3Error(401, "authError", "Invalid Credentials")
                      : GoogleAPI.error(401, "UNAUTHENTICATED", GoogleAPI.unauthenticated)
        }
        return nil
    }

    /// `max-results` (default and most 1000) and `start-index` (from 1), or a v3 error.
    func window(_ request: Request) -> (start: Int, size: Int)? {
        let q = request.uri.queryParameters
        let sizeText = q.get("max-results").map { String($0) }, startText = q.get("start-index").map { String($0) }
        guard let size = sizeText == nil ? 1000 : Int(sizeText!), size >= 1,
              let start = startText == nil ? 1 : Int(startText!), start >= 1 else { return nil }
        return (start, min(size, 1000))
    }

    func links(_ request: Request, start: Int, size: Int, total: Int) -> [String: Any] {
        let base = "http://\(request.head.authority ?? "127.0.0.1")\(request.uri.path)"
        var out: [String: Any] = ["totalResults": total, "startIndex": start, "itemsPerPage": size, "username": "sandbox@example.com"]
        if start + size <= total { out["nextLink"] = "\(base)?max-results=\(size)&start-index=\(start + size)" }
        if start > 1 { out["previousLink"] = "\(base)?max-results=\(size)&start-index=\(max(1, start - size))" }
        return out
    }

    func accountSummaries(_ request: Request) -> Response {
        guard let (start, size) = window(request).map({ ($0.start, $0.size) }) else {
            return GoogleAPI.v3Error(400, "invalidParameter", "max-results and start-index must be positive integers")
        }
        var accounts: [(id: String, name: String, views: [UAView])] = []
        for v in google.uaViews {
            if accounts.last?.id == v.accountId { accounts[accounts.count - 1].views.append(v) } else { accounts.append((v.accountId, v.accountName, [v])) }
        }
        let page = start - 1 < accounts.count ? accounts[(start - 1)..<min(accounts.count, start - 1 + size)] : []
        var out = links(request, start: start, size: size, total: accounts.count)
        out["kind"] = "analytics#accountSummaries"
        out["items"] = page.map { a -> [String: Any] in
            var properties: [(id: String, views: [UAView])] = []
            for v in a.views {
                if properties.last?.id == v.webPropertyId { properties[properties.count - 1].views.append(v) } else { properties.append((v.webPropertyId, [v])) }
            }
            return ["id": a.id, "kind": "analytics#accountSummary", "name": a.name, "starred": false,
                    "webProperties": properties.map { p -> [String: Any] in
                        let first = p.views[0]
                        return ["kind": "analytics#webPropertySummary", "id": p.id, "name": first.webPropertyName,
                                "internalWebPropertyId": first.internalWebPropertyId, "level": "STANDARD",
                                "websiteUrl": "https://\(first.webPropertyName)", "starred": false,
                                "profiles": p.views.map { ["kind": "analytics#profileSummary", "id": $0.id, "name": $0.name, "type": "WEB", "starred": false] }]
                    }]
        }
        return GoogleAPI.json(out)
    }

    func profile(_ v: UAView, _ request: Request) -> [String: Any] {
        let created = GoogleAPI.timestamp(google.generator.anchor - 2_000 * 86_400_000)
        let path = "/analytics/v3/management/accounts/\(v.accountId)/webproperties/\(v.webPropertyId)/profiles/\(v.id)"
        let base = "http://\(request.head.authority ?? "127.0.0.1")"
        return ["id": v.id, "kind": "analytics#profile", "selfLink": base + path, "accountId": v.accountId,
                "webPropertyId": v.webPropertyId, "internalWebPropertyId": v.internalWebPropertyId, "name": v.name,
                "currency": v.currency, "timezone": v.timezone, "websiteUrl": "https://\(v.webPropertyName)", "type": "WEB",
                "created": created, "updated": created, "eCommerceTracking": false, "botFilteringEnabled": false,
                "permissions": ["effective": ["COLLABORATE", "READ_AND_ANALYZE"]]]
    }

    func profiles(_ request: Request, account: String, property: String, id: String?) -> Response {
        let matching = google.uaViews.filter { v in
            (account == "~all" || v.accountId == account) && (property == "~all" || v.webPropertyId == property)
        }
        if let id {
            guard let v = matching.first(where: { $0.id == id }) else {
                return GoogleAPI.v3Error(403, "insufficientPermissions", "User does not have sufficient permissions for this profile.")
            }
            return GoogleAPI.json(profile(v, request))
        }
        guard account == "~all" || google.uaViews.contains(where: { $0.accountId == account }) else {
            return GoogleAPI.v3Error(403, "insufficientPermissions", "User does not have sufficient permissions for this account.")
        }
        guard let (start, size) = window(request).map({ ($0.start, $0.size) }) else {
            return GoogleAPI.v3Error(400, "invalidParameter", "max-results and start-index must be positive integers")
        }
        var out = links(request, start: start, size: size, total: matching.count)
        out["kind"] = "analytics#profiles"
        out["items"] = (start - 1 < matching.count ? Array(matching[(start - 1)..<min(matching.count, start - 1 + size)]) : []).map { profile($0, request) }
        return GoogleAPI.json(out)
    }
}
