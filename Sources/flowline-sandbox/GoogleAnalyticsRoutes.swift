import Foundation
import Hummingbird

/// Google Analytics on one host: the OAuth token endpoint (`POST /token`, refresh-token grant),
/// the Management API's `accountSummaries`, the Metadata API's `metadata/ga/columns`, and the
/// Reporting API v4 `POST /v4/reports:batchGet` (one report request, grouped by the requested
/// dimensions, paged with `pageSize`/`pageToken`). Bearer tokens; Google's error bodies.
/// Time dimensions come from `ga:dateHourMinute` (UTC); `ga:date` and `ga:dateHour` are derived.
struct GoogleAnalyticsRoutes {
    let state: SandboxState
    static let table = "analytics"
    static let clientId = "sandbox-client-id"
    static let clientSecret = "sandbox-client-secret"

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
        router.post("/token") { request, _ -> Response in
            if let f = SandboxHTTP.fault(state) { return f }
            let form = SandboxHTTP.form(try await request.body.collect(upTo: 1 << 20))
            guard form["client_id"] == Self.clientId, form["client_secret"] == Self.clientSecret else {
                return SandboxHTTP.json(#"{"error":"invalid_client","error_description":"The OAuth client was not found."}"#, status: .unauthorized)
            }
            guard form["grant_type"] == "refresh_token", form["refresh_token"] == state.refreshToken else {
                return SandboxHTTP.json(#"{"error":"invalid_grant","error_description":"Token has been expired or revoked."}"#, status: .badRequest)
            }
            let token = state.with { d -> String in
                let t = "ya29.sandbox-\(d.nextId)-\(UInt32.random(in: 0...UInt32.max))"
                d.nextId += 1
                d.validTokens.insert(t)
                d.stats.refreshed += 1
                return t
            }
            return SandboxHTTP.json(#"{"access_token":"\#(token)","expires_in":3599,"scope":"https://www.googleapis.com/auth/analytics.readonly","token_type":"Bearer"}"#)
        }
        router.get("/analytics/v3/management/accountSummaries") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let view = #"{"kind":"analytics#profileSummary","id":"\#(SandboxGenerator.gaViewId)","name":"All Web Site Data","type":"WEB"}"#
            return SandboxHTTP.json(#"{"kind":"analytics#accountSummaries","totalResults":1,"items":[{"id":"4711","kind":"analytics#accountSummary","name":"Sandbox Co","webProperties":[{"id":"UA-4711-1","name":"www.example.com","profiles":[\#(view)]}]}]}"#)
        }
        router.get("/analytics/v3/metadata/ga/columns") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let items = Self.columns.map {
                #"{"id":"\#($0.id)","kind":"analytics#column","attributes":{"type":"\#($0.kind)","dataType":"\#($0.dataType)","group":"Sandbox","status":"\#($0.status)","uiName":"\#($0.id.dropFirst(3))"}}"#
            }
            return SandboxHTTP.json(#"{"kind":"analytics#columns","totalResults":\#(items.count),"items":[\#(items.joined(separator: ","))]}"#)
        }
        router.post("/v4/reports:batchGet") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any],
                  let requests = json["reportRequests"] as? [[String: Any]], let first = requests.first else {
                return error(400, "INVALID_ARGUMENT", "reportRequests must hold one report request")
            }
            return report(first)
        }
    }

    func report(_ r: [String: Any]) -> Response {
        guard (r["viewId"] as? String) == SandboxGenerator.gaViewId, let table = state.table(Self.table) else {
            return error(403, "PERMISSION_DENIED", "User does not have sufficient permissions for this profile.")
        }
        let dims = (r["dimensions"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let mets = (r["metrics"] as? [[String: Any]] ?? []).compactMap { $0["expression"] as? String }
        let known = Set(Self.columns.filter { $0.status == "PUBLIC" }.map(\.id))
        if let bad = (dims + mets).first(where: { !known.contains($0) }) {
            return error(400, "INVALID_ARGUMENT", "Unknown dimension or metric: \(bad)")
        }
        guard !mets.isEmpty, dims.count <= 7, mets.count <= 10 else {
            return error(400, "INVALID_ARGUMENT", "A report needs 1 to 10 metrics and at most 7 dimensions")
        }
        let range = (r["dateRanges"] as? [[String: Any]])?.first
        guard let start = Self.day(range?["startDate"] as? String ?? "7daysAgo"), let end = Self.day(range?["endDate"] as? String ?? "yesterday") else {
            return error(400, "INVALID_ARGUMENT", "Invalid date range")
        }
        // Rows grouped by the requested dimensions, in order of first appearance; metrics summed
        // (bounceRate averaged).
        var groups: [String: Int] = [:]
        var keys: [[String]] = []
        var sums: [[Double]] = []
        var counts: [Int] = []
        for row in table.rows {
            guard case .time(let t) = row[0], (start...end).contains(t / 86_400_000) else { continue }
            let key = dims.map { Self.dimension($0, row, table) }
            let k = key.joined(separator: "\u{1}")
            let values = mets.map { m -> Double in
                guard let i = table.index(of: m) else { return 0 }
                switch row[i] { case .int(let v): return Double(v); case .double(let d): return d; default: return 0 }
            }
            if let g = groups[k] {
                for j in values.indices { sums[g][j] += values[j] }
                counts[g] += 1
            } else {
                groups[k] = keys.count
                keys.append(key); sums.append(values); counts.append(1)
            }
        }
        let pageSize = min(max(r["pageSize"] as? Int ?? 1000, 1), 100_000, state.pageSize)
        let offset = Int(r["pageToken"] as? String ?? "0") ?? 0
        let end2 = min(keys.count, offset + pageSize)
        var rows: [String] = []
        if offset < end2 {
            for g in offset..<end2 {
                let values = mets.indices.map { j -> String in
                    let v = mets[j] == "ga:bounceRate" ? sums[g][j] / Double(counts[g]) : sums[g][j]
                    return SandboxFormat.jsonString(mets[j] == "ga:bounceRate" ? String(format: "%.2f", v) : String(Int64(v)))
                }
                rows.append(#"{"dimensions":[\#(keys[g].map(SandboxFormat.jsonString).joined(separator: ","))],"metrics":[{"values":[\#(values.joined(separator: ","))]}]}"#)
            }
        }
        let headers = mets.map { m in #"{"name":"\#(m)","type":"\#(Self.columns.first { $0.id == m }?.dataType ?? "INTEGER")"}"# }
        let next = end2 < keys.count ? #","nextPageToken":"\#(end2)""# : ""
        let report = #"{"columnHeader":{"dimensions":[\#(dims.map { #""\#($0)""# }.joined(separator: ","))],"metricHeader":{"metricHeaderEntries":[\#(headers.joined(separator: ","))]}},"data":{"rows":[\#(rows.joined(separator: ","))],"rowCount":\#(keys.count),"isDataGolden":true}\#(next)}"#
        return SandboxHTTP.json(#"{"reports":[\#(report)]}"#)
    }

    /// A dimension's value as the Reporting API writes it (`202611281745`, `2026112817`, `20261128`).
    static func dimension(_ name: String, _ row: [SandboxValue], _ table: SandboxTable) -> String {
        if case .time(let t) = row[0], name.hasPrefix("ga:date") {
            let digits = SandboxFormat.time(t, .iso).filter(\.isNumber)   // yyyyMMddHHmmss
            switch name {
            case "ga:date": return String(digits.prefix(8))
            case "ga:dateHour": return String(digits.prefix(10))
            default: return String(digits.prefix(12))
            }
        }
        guard let i = table.index(of: name), case .string(let s) = row[i] else { return "(not set)" }
        return s
    }

    /// Days since the epoch of `YYYY-MM-DD`, `today`, `yesterday` or `NdaysAgo`.
    static func day(_ text: String) -> Int64? {
        let today = Int64(Date().timeIntervalSince1970) / 86_400
        if text == "today" { return today }
        if text == "yesterday" { return today - 1 }
        if text.hasSuffix("daysAgo"), let n = Int64(text.dropLast(7)) { return today - n }
        return SandboxFormat.parseISO(text).map { $0 / 86_400_000 }
    }

    func error(_ code: Int, _ status: String, _ message: String) -> Response {
        SandboxHTTP.json(#"{"error":{"code":\#(code),"message":\#(SandboxFormat.jsonString(message)),"status":"\#(status)"}}"#,
                         status: HTTPResponse.Status(code: code))
    }

    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        guard state.isValid(bearer: SandboxHTTP.bearer(request)) else {
            return error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.")
        }
        return nil
    }
}
