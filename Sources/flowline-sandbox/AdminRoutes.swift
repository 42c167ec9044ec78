import Foundation
import Hummingbird

/// `/_sandbox/…`: switches for tests, never part of any emulated API.
///
/// - `POST /_sandbox/expire-tokens[?after=N]` every access token stops working after N more API requests (default 0)
/// - `POST /_sandbox/throttle?count=K[&retryAfter=S]` the next K API requests get 429 with `Retry-After: S`
/// - `POST /_sandbox/fail-every?n=N` every Nth API request gets a 500 (0 turns it off)
/// - `POST /_sandbox/touch?object=Account&count=5[&at=2026-01-02T03:04:05Z]` sets the modification time of 5
///   records to now, or to `at` (so a test can place a change inside a run's window without waiting for the clock)
/// - `POST /_sandbox/hostile-next?url=U` every next-page link (Salesforce `nextRecordsUrl`, ServiceNow `Link`,
///   Zendesk `after_url`) points at U from now on, as a hostile service would send them (`url` empty: back to normal)
/// - `GET /_sandbox/stats` request, fault and token-refresh counters
/// - `GET /_sandbox/queries` the data queries received (SOQL `q`; ServiceNow `sysparm_query`/`sysparm_fields`)
/// - `POST /_sandbox/sap?serverPageSize=N&countOffset=K&records=N` SAP OData paging and counting (SAPODataSwitches.swift)
/// - Google Analytics: `GET|POST /_sandbox/ga4[?now=…]` (Google's clock), `POST /_sandbox/ga4/late-hits`,
///   `POST /_sandbox/ga/late-hits`, `POST /_sandbox/ga4/quota` (see GoogleAnalyticsAdminRoutes)
/// - `POST|GET /_sandbox/marketo?…` Marketo's documented limits and lead layout (MarketoAdminRoutes)
/// - `POST /_sandbox/salesforce-bulk?…` Bulk API 2.0 query job lifecycle (SalesforceBulkRoutes)
struct AdminRoutes {
    let state: SandboxState

    func add(to router: Router<BasicRequestContext>) {
        router.post("/_sandbox/expire-tokens") { request, _ -> Response in
            let after = request.uri.queryParameters.get("after").flatMap { Int($0) } ?? 0
            state.with { d in
                if after == 0 { d.validTokens.removeAll() } else { d.faults.expireAfter = after }
            }
            return SandboxHTTP.json(#"{"ok":true}"#)
        }
        router.post("/_sandbox/throttle") { request, _ -> Response in
            let count = request.uri.queryParameters.get("count").flatMap { Int($0) } ?? 1
            let retryAfter = request.uri.queryParameters.get("retryAfter").flatMap { Int($0) } ?? 1
            state.with { d in d.faults.throttleRemaining = count; d.faults.retryAfter = retryAfter }
            return SandboxHTTP.json(#"{"ok":true}"#)
        }
        router.post("/_sandbox/fail-every") { request, _ -> Response in
            let n = request.uri.queryParameters.get("n").flatMap { Int($0) } ?? 0
            state.with { d in d.faults.failEvery = n }
            return SandboxHTTP.json(#"{"ok":true}"#)
        }
        router.post("/_sandbox/hostile-next") { request, _ -> Response in
            let url = request.uri.queryParameters.get("url").map { String($0) } ?? ""
            state.with { d in d.faults.hostileNext = url.isEmpty ? nil : url }
            return SandboxHTTP.json(#"{"ok":true}"#)
        }
        router.post("/_sandbox/touch") { request, _ -> Response in
            let object = request.uri.queryParameters.get("object") ?? "Account"
            let count = request.uri.queryParameters.get("count").flatMap { Int($0) } ?? 1
            let at = request.uri.queryParameters.get("at").map { String($0) }
            guard let now = at.map(SandboxFormat.parseISO) ?? Int64(Date().timeIntervalSince1970 * 1000) else {
                return SandboxHTTP.json(#"{"error":"at must be an ISO 8601 time such as 2026-01-02T03:04:05Z"}"#, status: .badRequest)
            }
            guard let rows = state.touch(table: object, count: count, now: now), let table = state.table(object) else {
                return SandboxHTTP.json(#"{"error":"no such object"}"#, status: .notFound)
            }
            let ids = rows.map { r -> String in
                var out = ""
                SandboxFormat.json(table.rows[r][0], .iso, into: &out)
                return out
            }
            return SandboxHTTP.json(#"{"touched":[\#(ids.joined(separator: ","))],"at":\#(now)}"#)
        }
        router.get("/_sandbox/queries") { _, _ -> Response in
            let queries = state.with { $0.queries }
            return SandboxHTTP.json(#"{"queries":[\#(queries.joined(separator: ","))]}"#)
        }
        router.get("/_sandbox/stats") { _, _ -> Response in
            let s = state.with { $0.stats }
            return SandboxHTTP.json(#"{"requests":\#(s.requests),"throttled":\#(s.throttled),"failed":\#(s.failed),"refreshed":\#(s.refreshed),"unauthorized":\#(s.unauthorized)}"#)
        }
    }
}
