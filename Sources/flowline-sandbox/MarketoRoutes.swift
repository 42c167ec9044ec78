import Foundation
import Hummingbird
import NIOCore

/// Marketo REST, as Adobe documents it (https://developer.adobe.com/marketo-apis/, whose pages live at
/// https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/…):
///
/// - `/identity/oauth/token` (client credentials); a bad client is HTTP 401 (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
/// - `/rest/v1/leads.json` by `filterType`/`filterValues` (up to 300 values), default fields `id, email,
///   updatedAt, createdAt, firstName, lastName`, 300 a page with `nextPageToken`; more than 1,000
///   matching leads answer "1003, Too many results match the filter" (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads;
///   switch `matchLimit`); `firstName`/`lastName` as `filterType` are 1011 (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
///   Fields without a value are left out of a lead ("the value is implied to be null", same page).
/// - `leads/describe.json`, `leads/partitions.json`, `activities/types.json`,
///   `activities/pagingtoken.json` and `activities.json` paged by `nextPageToken` while `moreResult`
///   (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/activities, https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/paging-tokens).
/// - A GET whose URI passes 8 KB is HTTP 414; the same call as a POST with `_method=GET` and the query
///   string as a form body is answered (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes, "HTTP-Level errors"; https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/leads).
/// - Errors as HTTP 200 `{"success": false, "errors": [{"code", "message"}]}`: 601/602 for a bad or
///   expired token, 606 "Max rate limit '100' exceeded with in '20' secs" past 100 calls in the past
///   20 seconds, 615 "Concurrent access limit reached" with 10 calls already under way, 607 "Daily quota
///   reached" (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes; limits in https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/marketo-integration-best-practices); switches
///   `rateLimit`, `dailyQuota`. Calls answered with an error count against neither (https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/error-codes).
/// - The Bulk Extract API is in MarketoBulkRoutes, the switches in MarketoAdminRoutes.
struct MarketoRoutes {
    let state: SandboxState
    let marketo: MarketoState
    let generator: SandboxGenerator
    static let clientId = "sandbox-client-id"
    static let clientSecret = "sandbox-client-secret"
    /// Marketo's limit on a request URI (…/rest/error-codes: "exceeds 8KB").
    static let uriLimit = 8 * 1024

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
        router.get("/rest/v1/leads/describe.json") { request, _ in
            await serve(request) { _ in
                let fields = (state.table("leads")?.fields ?? []).enumerated().map { i, f in
                    #"{"id":\#(i + 1),"displayName":"\#(f.name)","dataType":"\#(f.nativeType)","rest":{"name":"\#(f.name)","readOnly":\#(f.name == "id")}}"#
                }
                return .ok(fields.joined(separator: ","))
            }
        }
        router.get("/rest/v1/leads/partitions.json") { request, _ in
            await serve(request) { _ in
                let count = marketo.with { $0.partitions }
                let list = (1...max(count, 1)).map { id in
                    id == 1 ? #"{"id":1,"name":"Default","description":"Initial system lead partition"}"#
                            : #"{"id":\#(id),"name":"Partition \#(id)","description":"Sandbox partition \#(id)"}"#
                }
                return .ok(list.joined(separator: ","))
            }
        }
        router.get("/rest/v1/activities/types.json") { request, _ in
            await serve(request) { _ in
                let types = SandboxGenerator.marketoActivityTypes.map {
                    #"{"id":\#($0.id),"name":"\#($0.name)","primaryAttribute":{"name":"\#($0.primary)","dataType":"integer"}}"#
                }
                return .ok(types.joined(separator: ","))
            }
        }
        router.get("/rest/v1/activities/pagingtoken.json") { request, _ in
            await serve(request) { p in
                guard let since = p["sinceDatetime"].flatMap(SandboxFormat.parseISO) else {
                    return .error("1003", "sinceDatetime is missing or not a date-time")
                }
                return .body(#"{"requestId":"\#(Self.requestId())","success":true,"nextPageToken":"\#(Self.token(since, 0))"}"#)
            }
        }
        for path in ["/rest/v1/leads.json", "/rest/v1/activities.json"] {
            let read: @Sendable ([String: String]) -> MarketoReply = path.contains("leads") ? leads : activities
            router.get(RouterPath(path)) { request, _ in await serve(request, read) }
            // The documented way around the URI limit: POST, `_method=GET`, the query string as the body.
            router.post(RouterPath(path)) { request, _ in
                await serve(request, form: true) { p in
                    guard p["_method"] == "GET" else {
                        return .error("610", "Requested resource not found (the sandbox emulates reads only; send _method=GET)")
                    }
                    return read(p)
                }
            }
        }
        MarketoBulkRoutes(routes: self).add(to: router)
        MarketoAdminRoutes(routes: self).add(to: router)
    }

    // MARK: - Leads and activities

    func leads(_ p: [String: String]) -> MarketoReply {
        guard let table = state.table("leads") else { return .error("610", "Requested resource not found") }
        guard let filterType = p["filterType"], !filterType.isEmpty else { return .error("1002", "Missing value for the required parameter 'filterType'") }
        let values = (p["filterValues"] ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        guard !values.isEmpty else { return .error("1002", "Missing value for the required parameter 'filterValues'") }
        guard values.count <= 300 else { return .error("1003", "filterValues accepts up to 300 values (\(values.count) given)") }
        let matched: [Int]
        if filterType == "firstName" || filterType == "lastName" {
            return .error("1011", "Field '\(filterType)' not supported")
        } else if filterType == "leadPartitionId", table.index(of: filterType) == nil {
            // One partition (the default) until a test asks for more.
            matched = values.contains("1") ? Array(table.rows.indices) : []
        } else if let column = table.index(of: filterType) {
            let wanted = Set(values.map { $0.lowercased() })
            matched = table.rows.indices.filter { r in
                switch table.rows[r][column] {
                case .int(let i): return wanted.contains(String(i))
                case .string(let s): return wanted.contains(s.lowercased())
                default: return false
                }
            }
        } else {
            return .error("1006", "Field '\(filterType)' not found")
        }
        if marketo.settings.matchLimit, matched.count > 1000 { return .error("1003", "Too many results match the filter") }
        let wanted = (p["fields"] ?? "id,email,updatedAt,createdAt,firstName,lastName").split(separator: ",").map {
            String($0).trimmingCharacters(in: .whitespaces)
        }
        let byName = Self.fieldIndex(table)
        var columns: [Int] = []
        for name in wanted {
            guard let i = byName[name.lowercased()] else { return .error("1006", "Field '\(name)' not found") }
            columns.append(i)
        }
        let batch = min(p["batchSize"].flatMap { Int($0) } ?? 300, 300, state.pageSize)
        var offset = 0
        if let token = p["nextPageToken"] {
            guard let decoded = Self.untoken(token) else { return .error("1003", "Invalid nextPageToken") }
            offset = decoded.offset
        }
        let page = matched.dropFirst(offset).prefix(batch)
        let more = offset + page.count < matched.count
        let next = more ? #","nextPageToken":"\#(Self.token(0, offset + page.count))""# : ""
        var out: [UInt8] = []
        SandboxFormat.append(#"{"requestId":"\#(Self.requestId())","success":true\#(next),"moreResult":\#(more),"result":["#, into: &out)
        let names = columns.map { c -> [UInt8] in
            var name: [UInt8] = []
            SandboxFormat.quote(table.fields[c].name, into: &name)
            name.append(UInt8(ascii: ":"))
            return name
        }
        for (k, r) in page.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            var first = true
            for (j, c) in columns.enumerated() {
                let v = table.rows[r][c]
                if case .null = v { continue }   // Marketo leaves fields without a value out
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: names[j])
                SandboxFormat.json(v, .iso, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        SandboxFormat.append("]}", into: &out)
        return .raw(SandboxHTTP.json(bytes: out))
    }

    func activities(_ p: [String: String]) -> MarketoReply {
        guard let table = state.table("activities") else { return .error("610", "Requested resource not found") }
        guard let token = p["nextPageToken"], let position = Self.untoken(token) else {
            return .error("1003", "nextPageToken is required")
        }
        let types = Set((p["activityTypeIds"] ?? "").split(separator: ",").compactMap { Int64($0) })
        guard !types.isEmpty, types.count <= 10 else { return .error("1003", "activityTypeIds must name 1 to 10 activity types") }
        // Oldest first, ties by id, from the token's time.
        let matched = table.rows.indices.filter { r in
            guard case .time(let t) = table.rows[r][3], case .int(let type) = table.rows[r][4] else { return false }
            return t >= position.since && types.contains(type)
        }.sorted { a, b in
            guard case .time(let x) = table.rows[a][3], case .time(let y) = table.rows[b][3],
                  case .int(let i) = table.rows[a][0], case .int(let j) = table.rows[b][0] else { return false }
            return x != y ? x < y : i < j
        }
        let batch = min(p["batchSize"].flatMap { Int($0) } ?? 300, 300, state.pageSize)
        let page = matched.dropFirst(position.offset).prefix(batch)
        let more = position.offset + page.count < matched.count
        let columns = Array(table.fields.indices)
        let records = page.map { r -> String in
            var o = Self.object(table, row: r, columns: columns)
            o.removeLast()
            let attributes = SandboxGenerator.marketoActivityAttributes(row: r).map {
                #"{"name":\#(SandboxFormat.jsonString($0.name)),"value":\#(SandboxFormat.jsonString($0.value))}"#
            }
            return o + #","attributes":[\#(attributes.joined(separator: ","))]}"#
        }
        return .body(#"{"requestId":"\#(Self.requestId())","success":true,"nextPageToken":"\#(Self.token(position.since, position.offset + page.count))","moreResult":\#(more),"result":[\#(records.joined(separator: ","))]}"#)
    }

    /// A record as Marketo writes it: fields without a value are left out.
    static func object(_ table: SandboxTable, row r: Int, columns: [Int]) -> String {
        var out = "{"
        var first = true
        for c in columns {
            if case .null = table.rows[r][c] { continue }
            if !first { out += "," }
            first = false
            SandboxFormat.quote(table.fields[c].name, into: &out)
            out += ":"
            SandboxFormat.json(table.rows[r][c], .iso, into: &out)
        }
        return out + "}"
    }

    /// Field positions by lower-cased name (wide lead schemas make a linear search per field slow).
    static func fieldIndex(_ table: SandboxTable) -> [String: Int] {
        var out: [String: Int] = [:]
        for (i, f) in table.fields.enumerated() where out[f.name.lowercased()] == nil { out[f.name.lowercased()] = i }
        return out
    }

    /// Paging tokens: the start time and offset, base64 (opaque to clients, as Marketo's are).
    static func token(_ since: Int64, _ offset: Int) -> String { Data("\(since):\(offset)".utf8).base64EncodedString() }

    static func untoken(_ token: String) -> (since: Int64, offset: Int)? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        let parts = text.split(separator: ":")
        guard parts.count == 2, let since = Int64(parts[0]), let offset = Int(parts[1]) else { return nil }
        return (since, offset)
    }

    static func requestId() -> String { "\(UInt16.random(in: 0...UInt16.max))#sandbox" }

    // MARK: - The gate every Marketo API call passes

    /// Runs one API call: the URI limit, injected faults, the access token, then the switched-on
    /// limits (concurrency, rate, daily quota); an answer with `success: false` is not counted.
    func serve(_ request: Request, form: Bool = false, _ handle: @Sendable ([String: String]) async -> MarketoReply) async -> Response {
        if request.method == .get, request.uri.string.utf8.count > Self.uriLimit {
            return Response(status: .uriTooLong, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "414 Request-URI Too Long")))
        }
        var params: [String: String] = [:]
        for (k, v) in request.uri.queryParameters { params[String(k)] = String(v) }
        if form {
            // Marketo answers 413 to a request body over 1 MB (…/rest/error-codes).
            guard let body = try? await request.body.collect(upTo: 1 << 20) else {
                return Response(status: .contentTooLarge, headers: [.contentType: "text/plain"],
                                body: .init(byteBuffer: ByteBuffer(string: "413 Request Entity Too Large")))
            }
            for (k, v) in SandboxHTTP.form(body) { params[k] = v }
        }
        switch state.admit() {
        case .pass: break
        case .throttle: return MarketoReply.error("606", "Max rate limit '100' exceeded with in '20' secs").response
        case .fail: return SandboxHTTP.json(#"{"error":"Injected failure (sandbox)"}"#, status: .internalServerError)
        }
        let settings = marketo.settings
        // The access_token parameter (query string or form), which Marketo stopped accepting on 30 June 2025.
        let parameter = params["access_token"]
        if settings.headerTokensOnly, parameter != nil, SandboxHTTP.bearer(request) == nil {
            return MarketoReply.error("601", "Access token invalid (send it in the Authorization header)").response
        }
        let token = SandboxHTTP.bearer(request) ?? parameter
        guard let token, !token.isEmpty else { return MarketoReply.error("600", "Access token missing").response }
        guard state.isValid(bearer: token) else {
            // Tokens this sandbox issued, now invalidated, have expired; anything else was never valid.
            return MarketoReply.error(token.hasPrefix("mkto-") ? "602" : "601", token.hasPrefix("mkto-") ? "Access token expired" : "Access token invalid").response
        }
        let at: Int64
        switch marketo.admit() {
        case .admitted(let t): at = t
        case .concurrent: return MarketoReply.error("615", "Concurrent access limit reached").response
        case .rate: return MarketoReply.error("606", "Max rate limit '\(settings.rateCalls)' exceeded with in '\(settings.rateSeconds)' secs").response
        case .quota: return MarketoReply.error("607", "Daily quota reached").response
        }
        while marketo.settings.hold { try? await Task.sleep(for: .milliseconds(5)) }
        let reply = await handle(params)
        marketo.finish(at, counted: reply.counted)
        return reply.response
    }
}

/// One Marketo answer before it becomes HTTP: a JSON body, a response-level error, or a raw response.
enum MarketoReply: Sendable {
    /// `{"success": true, "result": [<list>]}`
    case ok(String)
    /// A complete JSON body that reports success.
    case body(String)
    case error(String, String)
    case raw(Response)

    var counted: Bool {
        switch self {
        case .error: return false
        case .raw(let r): return r.status.code < 400
        default: return true
        }
    }

    var response: Response {
        switch self {
        case .ok(let list): return SandboxHTTP.json(#"{"requestId":"\#(MarketoRoutes.requestId())","success":true,"result":[\#(list)]}"#)
        case .body(let text): return SandboxHTTP.json(text)
        case .error(let code, let message):
            return SandboxHTTP.json(#"{"requestId":"\#(MarketoRoutes.requestId())","success":false,"errors":[{"code":"\#(code)","message":\#(SandboxFormat.jsonString(message))}]}"#)
        case .raw(let r): return r
        }
    }
}
