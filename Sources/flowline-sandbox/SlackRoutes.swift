import Foundation
import Hummingbird

/// Slack Web API: `conversations.list` and `conversations.history` with `cursor`/`limit`,
/// `oldest`/`latest`/`inclusive`; errors as HTTP 200 `{"ok": false, "error": …}`.
struct SlackRoutes {
    let state: SandboxState
    static let channel = "C0GENERAL"

    func add(to router: Router<BasicRequestContext>) {
        router.get("/api/conversations.list") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return SandboxHTTP.json(#"{"ok":true,"channels":[{"id":"\#(Self.channel)","name":"general","is_channel":true}],"response_metadata":{"next_cursor":""}}"#)
        }
        router.get("/api/conversations.history") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let p = request.uri.queryParameters
            guard p.get("channel") == Self.channel, let table = state.table(Self.channel) else {
                return SandboxHTTP.json(#"{"ok":false,"error":"channel_not_found"}"#)
            }
            let limit = min(p.get("limit").flatMap { Int($0) } ?? 100, 1000)
            let offset = p.get("cursor").flatMap { Data(base64Encoded: $0) }.flatMap { String(data: $0, encoding: .utf8) }
                .flatMap { Int($0.dropFirst(7)) } ?? 0
            let inclusive = p.get("inclusive") == "true" || p.get("inclusive") == "1"
            let oldest = p.get("oldest").flatMap(Self.micros), latest = p.get("latest").flatMap(Self.micros)
            let matched = table.rows.filter { row in
                guard case .string(let ts) = row[0], let t = Self.micros(ts) else { return false }
                if let oldest, inclusive ? t < oldest : t <= oldest { return false }
                if let latest, inclusive ? t > latest : t >= latest { return false }
                return true
            }
            let page = matched.dropFirst(offset).prefix(limit)
            var out = #"{"ok":true,"messages":["#
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
            let more = offset + limit < matched.count
            let next = more ? Data("offset:\(offset + limit)".utf8).base64EncodedString() : ""
            out += #"],"has_more":\#(more),"response_metadata":{"next_cursor":"\#(next)"}}"#
            return SandboxHTTP.json(out)
        }
    }

    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        guard state.isValid(bearer: SandboxHTTP.bearer(request)) else { return SandboxHTTP.json(#"{"ok":false,"error":"invalid_auth"}"#) }
        return nil
    }

    /// `1700000000.000100` as microseconds.
    static func micros(_ ts: String) -> Int64? {
        let parts = ts.split(separator: ".", maxSplits: 1)
        guard let s = Int64(parts[0]) else { return nil }
        let frac = parts.count > 1 ? String(parts[1].prefix(6)).padding(toLength: 6, withPad: "0", startingAt: 0) : "000000"
        return s * 1_000_000 + (Int64(frac) ?? 0)
    }
}
