import Foundation
import Hummingbird

/// `POST /_sandbox/marketo?key=value&…` (also `flowline-sandbox --marketo 'key=value&…'`): the documented
/// Marketo limits and data shapes a test switches on. `GET /_sandbox/marketo` shows the settings and
/// counters. Keys:
///
/// - `leads=N&partitions=P&fields=F` lay out N leads in each of P partitions (`leadPartitionId` 1…P),
///   with F lead fields (nine standard ones, `leadPartitionId`, then custom ones); `activities=N`
/// - `matchLimit=on` 1003 when more than 1,000 leads match a filter
/// - `rateLimit=on` 606 past 100 calls in the past 20 s, 615 past 10 calls under way
///   (`rateCalls`, `rateSeconds`, `concurrentCalls` change the numbers)
/// - `dailyQuota=N` 607 once N calls were counted (`off` removes it); `reset=on` clears the counters
/// - `hold=on` API calls wait until `hold=off` (to hold calls open for the concurrency limit)
/// - `headerTokens=on` the `access_token` query parameter is refused (601)
/// - `exportPolls=N` status polls an export job stays Queued and Processing (default 1)
/// - `exportQuota=BYTES` daily export allocation (default 500 MB); `failExports=N` the next N enqueued jobs fail
struct MarketoAdminRoutes {
    let routes: MarketoRoutes

    func add(to router: Router<BasicRequestContext>) {
        router.post("/_sandbox/marketo") { request, _ -> Response in
            var params: [String: String] = [:]
            for (k, v) in request.uri.queryParameters { params[String(k)] = String(v) }
            switch configure(params) {
            case .failure(let e): return SandboxHTTP.json(#"{"error":\#(SandboxFormat.jsonString(e.message))}"#, status: .badRequest)
            case .success: return SandboxHTTP.json(summary())
            }
        }
        router.get("/_sandbox/marketo") { _, _ -> Response in SandboxHTTP.json(summary()) }
    }

    struct BadSetting: Error { var message: String }

    /// Applies `key=value` settings; nothing changes when one of them is wrong.
    func configure(_ params: [String: String]) -> Result<Void, BadSetting> {
        let known: Set = ["leads", "partitions", "fields", "activities", "matchLimit", "rateLimit", "rateCalls", "rateSeconds",
                          "concurrentCalls", "dailyQuota", "reset", "hold", "headerTokens", "exportPolls", "exportQuota", "failExports"]
        if let unknown = params.keys.sorted().first(where: { !known.contains($0) }) {
            return .failure(BadSetting(message: "unknown Marketo setting '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))"))
        }
        func flag(_ k: String) throws -> Bool? {
            guard let v = params[k] else { return nil }
            switch v { case "on", "true", "1": return true; case "off", "false", "0": return false
            default: throw BadSetting(message: "\(k) must be on or off, not '\(v)'") }
        }
        func number(_ k: String, min lowest: Int = 0) throws -> Int? {
            guard let v = params[k] else { return nil }
            guard let n = Int(v), n >= lowest else { throw BadSetting(message: "\(k) must be a whole number ≥ \(lowest), not '\(v)'") }
            return n
        }
        do {
            var s = routes.marketo.settings
            if let v = try flag("matchLimit") { s.matchLimit = v }
            if let v = try flag("rateLimit") { s.rateLimit = v }
            if let v = try number("rateCalls", min: 1) { s.rateCalls = v }
            if let v = try number("rateSeconds", min: 1) { s.rateSeconds = v }
            if let v = try number("concurrentCalls", min: 1) { s.concurrentCalls = v }
            if params["dailyQuota"] == "off" { s.dailyQuota = nil } else if let v = try number("dailyQuota") { s.dailyQuota = v }
            if let v = try flag("hold") { s.hold = v }
            if let v = try flag("headerTokens") { s.headerTokensOnly = v }
            if let v = try number("exportPolls", min: 1) { s.exportPolls = v }
            if let v = try number("exportQuota") { s.exportQuotaBytes = v }
            if let v = try number("failExports") { s.failExports = v }
            let reset = try flag("reset") ?? false
            let perPartition = try number("leads"), partitions = try number("partitions", min: 1)
            let fields = try number("fields", min: SandboxGenerator.marketoStandardLeadFields.count + 1)
            let activities = try number("activities")
            if let total = perPartition.map({ $0 * (partitions ?? 1) }), total > 2_000_000 {
                throw BadSetting(message: "at most 2,000,000 leads in all")
            }

            let layout: SandboxGenerator.MarketoLeadLayout? = perPartition == nil && partitions == nil && fields == nil ? nil
                : SandboxGenerator.MarketoLeadLayout(
                    perPartition: perPartition ?? routes.generator.records, partitions: partitions ?? 1,
                    fields: fields ?? SandboxGenerator.marketoStandardLeadFields.count + 1)
            let leads = layout.map { routes.generator.marketoLeads(layout: $0) }
            let leadCount = leads?.rows.count ?? routes.state.table("leads")?.rows.count ?? routes.generator.records
            let activityTable = (activities ?? (leads != nil ? routes.state.table("activities")?.rows.count : nil)).map {
                routes.generator.marketoActivities(count: $0, leads: leadCount)
            }
            routes.state.with { d in
                if let leads { d.tables["leads"] = leads }
                if let activityTable { d.tables["activities"] = activityTable }
            }
            routes.marketo.with { d in
                d.settings = s
                if let layout { d.partitions = layout.partitions }
                if reset { d.counted.removeAll(); d.countedToday = 0; d.exportBytesToday = 0 }
            }
            return .success(())
        } catch let e as BadSetting {
            return .failure(e)
        } catch {
            return .failure(BadSetting(message: "\(error)"))
        }
    }

    func summary() -> String {
        let (d, leads, activities) = (routes.marketo.with { $0 }, routes.state.table("leads"), routes.state.table("activities"))
        let s = d.settings
        let windowStart = MarketoState.now() - Int64(s.rateSeconds) * 1000
        let inWindow = d.counted.filter { $0 > windowStart }.count
        let quota = s.dailyQuota.map(String.init) ?? "null"
        return #"{"leads":\#(leads?.rows.count ?? 0),"leadFields":\#(leads?.fields.count ?? 0),"partitions":\#(d.partitions),"activities":\#(activities?.rows.count ?? 0),"matchLimit":\#(s.matchLimit),"rateLimit":\#(s.rateLimit),"rateCalls":\#(s.rateCalls),"rateSeconds":\#(s.rateSeconds),"concurrentCalls":\#(s.concurrentCalls),"dailyQuota":\#(quota),"hold":\#(s.hold),"headerTokens":\#(s.headerTokensOnly),"exportPolls":\#(s.exportPolls),"exportQuota":\#(s.exportQuotaBytes),"failExports":\#(s.failExports),"inFlight":\#(d.inFlight),"countedInWindow":\#(inWindow),"countedToday":\#(d.countedToday),"exportBytesToday":\#(d.exportBytesToday),"exports":\#(d.exports.count)}"#
    }
}
