import Foundation
import Hummingbird

/// Google Analytics 4: the Admin API v1beta and the Data API v1beta on one host (Google serves
/// them on analyticsadmin/analyticsdata.googleapis.com; their paths do not collide), behind the
/// OAuth token endpoint of `GoogleOAuthRoutes`. Emulated, each from the page named:
/// - `GET /v1beta/accountSummaries`: `accountSummaries[]` (`name`, `account`, `displayName`,
///   `propertySummaries[]` with `property`, `displayName`, `propertyType`, `parent`); `pageSize`
///   default 50, larger than 200 coerced to 200, negative refused; opaque `pageToken` /
///   `nextPageToken`, absent on the last page
///   (https://developers.google.com/analytics/devguides/config/admin/v1/rest/v1beta/accountSummaries/list).
/// - `GET /v1beta/properties/{id}`: the Property (`timeZone`, `currencyCode`, `propertyType`,
///   `serviceLevel`, `parent`, `account`, times); an unknown id is `403 PERMISSION_DENIED`
///   (https://developers.google.com/analytics/devguides/config/admin/v1/rest/v1beta/properties#Property).
/// - `GET /v1beta/properties/{id}/metadata`: `dimensions[]` (`apiName`, `uiName`, `description`,
///   `category`) and `metrics[]` (also `type`); `properties/0/metadata` is the common set
///   (https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/getMetadata).
/// - `POST /v1beta/properties/{id}:runReport`: see `GA4Report`; `returnPropertyQuota` adds
///   `propertyQuota` (see `GA4Quota`)
///   (https://developers.google.com/analytics/devguides/reporting/data/v1/rest/v1beta/properties/runReport).
/// - Enums are written as numbers when the client asks with `$alt=json;enum-encoding=int` (as
///   Google's generated clients do), else as names; request enums are read in either form.
/// Late data: a report counts an event only once Google has processed it (its arrival time is on
/// or before Google's `now`), so recent hours keep growing for up to 48 hours
/// (https://support.google.com/analytics/answer/11198161).
struct GoogleAnalytics4Routes {
    let state: SandboxState
    let google: GoogleAnalyticsState

    func add(to router: Router<BasicRequestContext>) {
        router.get("/v1beta/accountSummaries") { request, _ -> Response in
            if let denied = gate(request) { return denied }
            return accountSummaries(request)
        }
        router.get("/v1beta/properties/:id") { request, context -> Response in
            let target = context.parameters.get("id") ?? ""
            if let denied = gate(request, property: target) { return denied }
            guard target.allSatisfy(\.isNumber), !target.isEmpty else {
                return GoogleAPI.error(400, "INVALID_ARGUMENT", "Invalid resource field value in the request: properties/\(target) is not a property name.")
            }
            guard let p = google.ga4Properties.first(where: { $0.id == target }) else { return noAccess(target) }
            return GoogleAPI.json(propertyObject(p, integerEnums: GoogleAPI.integerEnums(request)))
        }
        router.get("/v1beta/properties/:id/metadata") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            if let denied = gate(request, property: id) { return denied }
            guard id == "0" || google.ga4Properties.contains(where: { $0.id == id }) else { return noAccess(id) }
            if id != "0" {
                if let exhausted = GA4Quota.admit(google, property: id) { return exhausted }
                GA4Quota.finish(google, property: id, cost: 1)
            }
            return GoogleAPI.json(metadata(id, integerEnums: GoogleAPI.integerEnums(request)))
        }
        router.post("/v1beta/properties/:id") { request, context -> Response in
            let target = context.parameters.get("id") ?? ""
            let parts = target.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, parts[1] == "runReport" else {
                return GoogleAPI.error(404, "NOT_FOUND", "Method not found: \(target) (the sandbox emulates :runReport).")
            }
            let id = parts[0]
            if let denied = gate(request, property: id) { return denied }
            guard let property = google.ga4Properties.first(where: { $0.id == id }) else { return noAccess(id) }
            guard let body = GoogleAPI.object(try await request.body.collect(upTo: 1 << 22)) else {
                return GoogleAPI.error(400, "INVALID_ARGUMENT", "Invalid JSON payload received.")
            }
            return runReport(property, body, integerEnums: GoogleAPI.integerEnums(request))
        }
    }

    func gate(_ request: Request, property: String? = nil) -> Response? {
        if let f = GoogleAPI.fault(state, google, property: property) { return f }
        guard GoogleAPI.authorized(request, state, google) else {
            return GoogleAPI.error(401, "UNAUTHENTICATED", GoogleAPI.unauthenticated)
        }
        return nil
    }

    func noAccess(_ id: String) -> Response {
        GoogleAPI.error(403, "PERMISSION_DENIED", "User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.")
    }

    func accountSummaries(_ request: Request) -> Response {
        let q = request.uri.queryParameters
        let sizeText = q.get("pageSize").map { String($0) }
        guard let size = sizeText == nil ? 0 : Int(sizeText!), size >= 0 else {
            return GoogleAPI.error(400, "INVALID_ARGUMENT", "pageSize must not be negative.")
        }
        var start = 0
        if let token = q.get("pageToken").map({ String($0) }), !token.isEmpty {
            guard let offset = GoogleAPI.offset(pageToken: token) else {
                return GoogleAPI.error(400, "INVALID_ARGUMENT", "Invalid page token.")
            }
            start = offset
        }
        let pageSize = size == 0 ? 50 : min(size, 200)
        var accounts: [(id: String, name: String, properties: [GA4Property])] = []
        for p in google.ga4Properties {
            if accounts.last?.id == p.accountId { accounts[accounts.count - 1].properties.append(p) } else {
                accounts.append((p.accountId, p.accountName, [p]))
            }
        }
        let enums = GoogleAPI.integerEnums(request)
        let page = start < accounts.count ? accounts[start..<min(accounts.count, start + pageSize)] : []
        var out: [String: Any] = [:]
        if !page.isEmpty {
            out["accountSummaries"] = page.map { a -> [String: Any] in
                ["name": "accountSummaries/\(a.id)", "account": "accounts/\(a.id)", "displayName": a.name,
                 "propertySummaries": a.properties.map { p -> [String: Any] in
                     ["property": p.name, "displayName": p.displayName, "parent": "accounts/\(a.id)",
                      "propertyType": enums ? 1 : "PROPERTY_TYPE_ORDINARY"]
                 }]
            }
        }
        if start + pageSize < accounts.count { out["nextPageToken"] = GoogleAPI.pageToken(start + pageSize) }
        return GoogleAPI.json(out)
    }

    func propertyObject(_ p: GA4Property, integerEnums: Bool) -> [String: Any] {
        let created = google.generator.anchor - 400 * 86_400_000
        return ["name": p.name, "propertyType": integerEnums ? 1 : "PROPERTY_TYPE_ORDINARY",
                "createTime": GoogleAPI.timestamp(created), "updateTime": GoogleAPI.timestamp(created + 86_400_000),
                "parent": "accounts/\(p.accountId)", "displayName": p.displayName,
                "industryCategory": integerEnums ? 5 : "TECHNOLOGY", "timeZone": p.timeZone, "currencyCode": p.currencyCode,
                "serviceLevel": integerEnums ? 1 : "GOOGLE_ANALYTICS_STANDARD", "account": "accounts/\(p.accountId)"]
    }

    func metadata(_ id: String, integerEnums: Bool) -> [String: Any] {
        ["name": "properties/\(id)/metadata",
         "dimensions": GA4Schema.dimensions.map { ["apiName": $0.apiName, "uiName": $0.uiName, "description": $0.description, "category": $0.category] },
         "metrics": GA4Schema.metrics.map { m -> [String: Any] in
             ["apiName": m.apiName, "uiName": m.uiName, "description": m.description, "category": m.category,
              "type": integerEnums ? GA4Schema.metricTypeNumbers[m.type] ?? 0 : m.type]
         }]
    }

    func runReport(_ property: GA4Property, _ body: [String: Any], integerEnums: Bool) -> Response {
        let now = google.now()
        let report: GA4Report
        do {
            report = try GA4Report(property: property, body: body, now: now)
        } catch let f as GA4Report.Failure {
            return GoogleAPI.error(f.code, f.status, f.message)
        } catch {
            return GoogleAPI.error(400, "INVALID_ARGUMENT", "\(error)")
        }
        if let exhausted = GA4Quota.admit(google, property: property.id) { return exhausted }
        do {
            var (out, cost) = try report.run(events: google.events(property), now: now, integerEnums: integerEnums)
            let quota = GA4Quota.finish(google, property: property.id, cost: cost)
            if report.returnPropertyQuota { out["propertyQuota"] = quota }
            return GoogleAPI.json(out)
        } catch {
            GA4Quota.finish(google, property: property.id, cost: 0)
            let f = error as? GA4Report.Failure ?? GA4Report.Failure(message: "\(error)")
            return GoogleAPI.error(f.code, f.status, f.message)
        }
    }
}
