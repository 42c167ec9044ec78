import Foundation
import HTTPTypes
import Hummingbird

/// ServiceNow Table API: `/api/now/table/<table>` with `sysparm_query` (encoded query),
/// `sysparm_fields`, `sysparm_limit`, `sysparm_offset`; a `Link` header to the next page;
/// `sys_db_object` and `sys_dictionary` describe the tables. Basic auth or a bearer token.
struct ServiceNowRoutes {
    let state: SandboxState
    static let tables = ["incident"]

    func add(to router: Router<BasicRequestContext>) {
        // OAuth: a refresh token and the client's id and secret for a new bearer token.
        router.post("/oauth_token.do") { request, _ -> Response in
            if let f = SandboxHTTP.fault(state) { return f }
            switch state.refresh(SandboxHTTP.form(try await request.body.collect(upTo: 1 << 20))) {
            case .success(let token):
                return SandboxHTTP.json(#"{"access_token":\#(SandboxFormat.jsonString(token)),"scope":"useraccount","token_type":"Bearer","expires_in":1799}"#)
            case .failure(.invalidClient):
                return SandboxHTTP.json(#"{"error_description":"access_denied","error":"server_error"}"#, status: .unauthorized)
            case .failure(.invalidGrant):
                return SandboxHTTP.json(#"{"error_description":"access_denied","error":"invalid_grant"}"#, status: .unauthorized)
            }
        }
        router.get("/api/now/table/:table") { request, context -> Response in
            if let f = SandboxHTTP.fault(state) { return f }
            let basicOK = SandboxHTTP.basic(request).map { $0.0 == state.username && $0.1 == state.password } ?? false
            guard basicOK || state.isValid(bearer: SandboxHTTP.bearer(request)) else {
                return SandboxHTTP.json(#"{"error":{"message":"User Not Authenticated","detail":"Required to provide Auth information"},"status":"failure"}"#, status: .unauthorized)
            }
            let name = context.parameters.get("table") ?? ""
            let params = request.uri.queryParameters
            let query = params.get("sysparm_query") ?? ""
            switch name {
            case "sys_db_object":
                let rows = Self.tables.compactMap { state.table($0) }.map { #"{"name":"\#($0.name)","label":"\#($0.label)"}"# }
                return SandboxHTTP.json(#"{"result":[\#(rows.joined(separator: ","))]}"#)
            case "sys_dictionary":
                let table = query.split(separator: "^").first { $0.hasPrefix("name=") }.map { String($0.dropFirst(5)) } ?? ""
                let fields = Self.tables.contains(table) ? state.table(table)?.fields ?? [] : []
                let rows = fields.map { #"{"element":"\#($0.name)","column_label":"\#($0.name)","internal_type":"\#($0.nativeType)"}"# }
                return SandboxHTTP.json(#"{"result":[\#(rows.joined(separator: ","))]}"#)
            default:
                break
            }
            guard Self.tables.contains(name), let table = state.table(name) else {
                return SandboxHTTP.json(#"{"error":{"message":"Invalid table \#(name)","detail":null},"status":"failure"}"#, status: .badRequest)
            }
            state.log(query: [("service", "ServiceNow"), ("table", name), ("sysparm_query", query),
                              ("sysparm_fields", params.get("sysparm_fields") ?? "")])
            let limit = params.get("sysparm_limit").flatMap { Int($0) } ?? 10_000
            let offset = params.get("sysparm_offset").flatMap { Int($0) } ?? 0
            let wanted = (params.get("sysparm_fields") ?? "").split(separator: ",").map(String.init)
            let fieldIdx = wanted.isEmpty ? Array(table.fields.indices) : wanted.compactMap { table.index(of: $0) }
            let conditions = query.split(separator: "^").map(String.init)
            var matched: [Int] = []
            for (r, row) in table.rows.enumerated() where conditions.allSatisfy({ Self.holds($0, row, table) }) { matched.append(r) }
            // sys_id order (generated in row order).
            let page = matched.dropFirst(offset).prefix(limit)
            var out = #"{"result":["#
            for (k, r) in page.enumerated() {
                if k > 0 { out += "," }
                out += "{"
                for (j, f) in fieldIdx.enumerated() {
                    if j > 0 { out += "," }
                    SandboxFormat.quote(table.fields[f].name, into: &out)
                    out += ":"
                    SandboxFormat.quote(Self.text(table.rows[r][f]), into: &out)
                }
                out += "}"
            }
            out += "]}"
            var headers = HTTPFields()
            headers[HTTPField.Name("X-Total-Count")!] = String(matched.count)
            if offset + limit < matched.count {
                let next = "http://\(request.head.authority ?? "127.0.0.1")\(request.uri.path)?" + Self.query(request.uri.query ?? "", offset: offset + limit)
                headers[HTTPField.Name("Link")!] = "<\(state.nextLink(next))>;rel=\"next\""
            }
            return SandboxHTTP.json(out, headers: headers)
        }
    }

    static func query(_ raw: String, offset: Int) -> String {
        let kept = raw.split(separator: "&").filter { !$0.hasPrefix("sysparm_offset=") }
        return (kept + ["sysparm_offset=\(offset)"]).joined(separator: "&")
    }

    /// ServiceNow returns every value as text; times as `YYYY-MM-DD hh:mm:ss` UTC.
    static func text(_ v: SandboxValue) -> String {
        switch v {
        case .null: return ""
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return b ? "true" : "false"
        case .time(let t): return SandboxFormat.time(t, .serviceNow)
        case .date(let d): return SandboxFormat.date(d)
        }
    }

    /// One term of an encoded query.
    static func holds(_ term: String, _ row: [SandboxValue], _ table: SandboxTable) -> Bool {
        if term.isEmpty || term.hasPrefix("ORDERBY") { return true }
        let name = String(term.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
        guard let i = table.index(of: name) else { return false }
        let rest = String(term.dropFirst(name.count))
        let value = row[i]
        for op in [">=", "<=", "!=", ">", "<", "=", "IN", "ISNOTEMPTY"] where rest.hasPrefix(op) {
            let literal = String(rest.dropFirst(op.count))
            if op == "ISNOTEMPTY" { return !value.isNull }
            let parsed = literals(literal, like: value)
            if op == "IN" { return parsed.contains { SOQLQuery.compare(value, $0) == 0 } }
            guard let lit = parsed.first, let c = SOQLQuery.compare(value, lit) else { return false }
            switch op {
            case ">=": return c >= 0
            case "<=": return c <= 0
            case "!=": return c != 0
            case ">": return c > 0
            case "<": return c < 0
            default: return c == 0
            }
        }
        return false
    }

    static func literals(_ text: String, like value: SandboxValue) -> [SandboxValue] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return items.compactMap { s -> SandboxValue? in
            switch value {
            case .int: return Int64(s).map(SandboxValue.int)
            case .double: return Double(s).map(SandboxValue.double)
            case .bool: return .bool(s == "true")
            case .time: return SandboxFormat.parseISO(s).map(SandboxValue.time)
            case .date: return SandboxFormat.parseISO(s).map { .date($0 / 86_400_000) }
            default: return .string(s)
            }
        }
    }
}
