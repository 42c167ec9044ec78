import Foundation
import Hummingbird

/// Marketo REST: `/identity/oauth/token` (client credentials), `/rest/v1/leads.json` by
/// `filterType`/`filterValues`, `leads/describe.json`, `leads/partitions.json`,
/// `activities/types.json`, `activities/pagingtoken.json` and `activities.json`, paged by
/// `nextPageToken` while `moreResult`. Errors as HTTP 200 `{"success": false, "errors": […]}`:
/// 601/602 for a bad or expired token, 606 when the sandbox throttles.
struct MarketoRoutes {
    let state: SandboxState
    static let clientId = "sandbox-client-id"
    static let clientSecret = "sandbox-client-secret"

    func add(to router: Router<BasicRequestContext>) {
        router.get("/identity/oauth/token") { request, _ -> Response in
            let p = request.uri.queryParameters
            guard p.get("grant_type") == "client_credentials", p.get("client_id").map { String($0) } == Self.clientId,
                  p.get("client_secret").map { String($0) } == Self.clientSecret else {
                return SandboxHTTP.json(#"{"error":"unauthorized","error_description":"Bad client credentials"}"#, status: .unauthorized)
            }
            let token = state.with { d -> String in
                let t = "mkto-\(d.nextId)-\(UInt32.random(in: 0...UInt32.max))"
                d.nextId += 1
                d.validTokens.insert(t)
                d.stats.refreshed += 1
                return t
            }
            return SandboxHTTP.json(#"{"access_token":"\#(token)","token_type":"bearer","expires_in":3599,"scope":"api@sandbox"}"#)
        }
        router.get("/rest/v1/leads/describe.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let fields = (state.table("leads")?.fields ?? []).enumerated().map { i, f in
                #"{"id":\#(i + 1),"displayName":"\#(f.name)","dataType":"\#(f.nativeType)","rest":{"name":"\#(f.name)","readOnly":\#(f.name == "id")}}"#
            }
            return success(fields.joined(separator: ","))
        }
        router.get("/rest/v1/leads/partitions.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return success(#"{"id":1,"name":"Default","description":"Initial system lead partition"}"#)
        }
        router.get("/rest/v1/activities/types.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let types = SandboxGenerator.marketoActivityTypes.map {
                #"{"id":\#($0.id),"name":"\#($0.name)","primaryAttribute":{"name":"\#($0.primary)","dataType":"integer"}}"#
            }
            return success(types.joined(separator: ","))
        }
        router.get("/rest/v1/activities/pagingtoken.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            guard let since = request.uri.queryParameters.get("sinceDatetime").flatMap({ SandboxFormat.parseISO(String($0)) }) else {
                return failure("1003", "sinceDatetime is missing or not a date-time")
            }
            return SandboxHTTP.json(#"{"requestId":"\#(requestId())","success":true,"nextPageToken":"\#(Self.token(since, 0))"}"#)
        }
        router.get("/rest/v1/leads.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return leads(request)
        }
        router.get("/rest/v1/activities.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return activities(request)
        }
    }

    func leads(_ request: Request) -> Response {
        let p = request.uri.queryParameters
        guard let table = state.table("leads") else { return failure("610", "Requested resource not found") }
        let values = (p.get("filterValues") ?? "").split(separator: ",").map(String.init)
        let matched: [Int]
        switch p.get("filterType") {
        case "leadPartitionId": matched = values.contains("1") ? Array(table.rows.indices) : []
        case "id":
            let ids = Set(values.compactMap { Int64($0) })
            matched = table.rows.indices.filter { if case .int(let id) = table.rows[$0][0] { return ids.contains(id) }; return false }
        default: return failure("1003", "Invalid filterType")
        }
        let wanted = (p.get("fields") ?? "id,email,firstName,lastName,updatedAt,createdAt").split(separator: ",").map(String.init)
        var columns: [Int] = []
        for name in wanted {
            guard let i = table.index(of: name) else { return failure("1006", "Field '\(name)' not found") }
            columns.append(i)
        }
        let batch = min(p.get("batchSize").flatMap { Int($0) } ?? 300, 300, state.pageSize)
        var offset = 0
        if let token = p.get("nextPageToken") {
            guard let decoded = Self.untoken(String(token)) else { return failure("1003", "Invalid nextPageToken") }
            offset = decoded.offset
        }
        let page = matched.dropFirst(offset).prefix(batch)
        let more = offset + page.count < matched.count
        let records = page.map { r in Self.object(table, row: r, columns: columns) }
        let next = more ? #","nextPageToken":"\#(Self.token(0, offset + page.count))""# : ""
        return SandboxHTTP.json(#"{"requestId":"\#(requestId())","success":true\#(next),"moreResult":\#(more),"result":[\#(records.joined(separator: ","))]}"#)
    }

    func activities(_ request: Request) -> Response {
        let p = request.uri.queryParameters
        guard let table = state.table("activities") else { return failure("610", "Requested resource not found") }
        guard let token = p.get("nextPageToken"), let position = Self.untoken(String(token)) else {
            return failure("1003", "nextPageToken is required")
        }
        let types = Set((p.get("activityTypeIds") ?? "").split(separator: ",").compactMap { Int64($0) })
        guard !types.isEmpty, types.count <= 10 else { return failure("1003", "activityTypeIds must name 1 to 10 activity types") }
        // Oldest first, ties by id, from the token's time.
        let matched = table.rows.indices.filter { r in
            guard case .time(let t) = table.rows[r][3], case .int(let type) = table.rows[r][4] else { return false }
            return t >= position.since && types.contains(type)
        }.sorted { a, b in
            guard case .time(let x) = table.rows[a][3], case .time(let y) = table.rows[b][3],
                  case .int(let i) = table.rows[a][0], case .int(let j) = table.rows[b][0] else { return false }
            return x != y ? x < y : i < j
        }
        let batch = min(p.get("batchSize").flatMap { Int($0) } ?? 300, 300, state.pageSize)
        let page = matched.dropFirst(position.offset).prefix(batch)
        let more = position.offset + page.count < matched.count
        let columns = Array(table.fields.indices)
        let records = page.map { r -> String in
            var o = Self.object(table, row: r, columns: columns)
            o.removeLast()
            return o + #","attributes":[{"name":"Client IP Address","value":"10.0.\#(r % 250).1"}]}"#
        }
        return SandboxHTTP.json(#"{"requestId":"\#(requestId())","success":true,"nextPageToken":"\#(Self.token(position.since, position.offset + page.count))","moreResult":\#(more),"result":[\#(records.joined(separator: ","))]}"#)
    }

    static func object(_ table: SandboxTable, row r: Int, columns: [Int]) -> String {
        var out = "{"
        for (k, c) in columns.enumerated() {
            if k > 0 { out += "," }
            SandboxFormat.quote(table.fields[c].name, into: &out)
            out += ":"
            SandboxFormat.json(table.rows[r][c], .iso, into: &out)
        }
        return out + "}"
    }

    /// Paging tokens: the start time and offset, base64 (opaque to clients, as Marketo's are).
    static func token(_ since: Int64, _ offset: Int) -> String { Data("\(since):\(offset)".utf8).base64EncodedString() }

    static func untoken(_ token: String) -> (since: Int64, offset: Int)? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let since = Int64(parts[0]), let offset = Int(parts[1]) else { return nil }
        return (since, offset)
    }

    func requestId() -> String { "\(UInt16.random(in: 0...UInt16.max))#sandbox" }

    func success(_ result: String) -> Response {
        SandboxHTTP.json(#"{"requestId":"\#(requestId())","success":true,"result":[\#(result)]}"#)
    }

    func failure(_ code: String, _ message: String) -> Response {
        SandboxHTTP.json(#"{"requestId":"\#(requestId())","success":false,"errors":[{"code":"\#(code)","message":\#(SandboxFormat.jsonString(message))}]}"#)
    }

    /// Faults (a throttle is Marketo's 606, in a 200), then the access token (header or `access_token`).
    func gate(_ request: Request) -> Response? {
        switch state.admit() {
        case .pass: break
        case .throttle: return failure("606", "Max rate limit '100' exceeded with in '20' secs")
        case .fail: return SandboxHTTP.json(#"{"error":"Injected failure (sandbox)"}"#, status: .internalServerError)
        }
        let token = SandboxHTTP.bearer(request) ?? request.uri.queryParameters.get("access_token").map { String($0) }
        guard let token, !token.isEmpty else { return failure("600", "Access token missing") }
        guard state.isValid(bearer: token) else {
            // Tokens this sandbox issued, now invalidated, have expired; anything else was never valid.
            return token.hasPrefix("mkto-") ? failure("602", "Access token expired") : failure("601", "Access token invalid")
        }
        return nil
    }
}
