import Foundation
import Hummingbird

/// Zendesk Support: the cursor-based incremental ticket export
/// (`/api/v2/incremental/tickets/cursor.json?start_time=…` then `?cursor=…`, `after_url`,
/// `end_of_stream`) and `/api/v2/tickets.json` with `page[size]` cursor pagination. Bearer tokens.
struct ZendeskRoutes {
    let state: SandboxState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/v2/incremental/tickets/cursor.json") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            guard let table = state.table("tickets") else { return SandboxHTTP.json("{}", status: .notFound) }
            let p = request.uri.queryParameters
            var start: Int64, offset: Int
            if let cursor = p.get("cursor"), let decoded = Data(base64Encoded: cursor).flatMap({ String(data: $0, encoding: .utf8) }) {
                let parts = decoded.split(separator: ":")
                guard parts.count == 2, let s = Int64(parts[0]), let o = Int(parts[1]) else {
                    return SandboxHTTP.json(#"{"error":"InvalidCursor","description":"cursor is not valid"}"#, status: .badRequest)
                }
                start = s; offset = o
            } else if let s = p.get("start_time").flatMap({ Int64($0) }) {
                start = s; offset = 0
            } else {
                return SandboxHTTP.json(#"{"error":"InvalidValue","description":"start_time or cursor is required"}"#, status: .badRequest)
            }
            let perPage = min(p.get("per_page").flatMap { Int($0) } ?? 1000, 1000, state.pageSize)
            // Oldest change first; ties by id.
            let rows = table.rows.filter { row in
                if case .time(let t) = row[table.modifiedField] { return t >= start * 1000 }
                return false
            }.sorted { a, b in
                guard case .time(let x) = a[table.modifiedField], case .time(let y) = b[table.modifiedField],
                      case .int(let i) = a[0], case .int(let j) = b[0] else { return false }
                return x != y ? x < y : i < j
            }
            let page = rows.dropFirst(offset).prefix(perPage)
            let end = offset + page.count >= rows.count
            let next = Data("\(start):\(offset + page.count)".utf8).base64EncodedString()
            let base = "http://\(request.head.authority ?? "127.0.0.1")"
            var out = #"{"tickets":["#
            for (k, row) in page.enumerated() {
                if k > 0 { out += "," }
                out += "{"
                for (j, f) in table.fields.enumerated() {
                    if j > 0 { out += "," }
                    SandboxFormat.quote(f.name, into: &out)
                    out += ":"
                    SandboxFormat.json(row[j], .iso, into: &out)
                }
                out += "}"
            }
            out += #"],"after_cursor":"\#(next)","after_url":"\#(state.nextLink("\(base)/api/v2/incremental/tickets/cursor.json?cursor=\(next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next)"))","end_of_stream":\#(end)}"#
            return SandboxHTTP.json(out)
        }
    }

    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        guard state.isValid(bearer: SandboxHTTP.bearer(request)) else {
            return SandboxHTTP.json(#"{"error":"Couldn't authenticate you"}"#, status: .unauthorized)
        }
        return nil
    }
}
