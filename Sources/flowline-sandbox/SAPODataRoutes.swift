import Foundation
import Hummingbird

/// SAP Gateway OData v2 for the service `/sap/opu/odata/sap/API_BUSINESS_PARTNER`: the service
/// document, `$metadata` (EDMX), entity sets with `$format=json`, `$select`, `$filter` (`and`-joined
/// `eq`/`ne`/`gt`/`ge`/`lt`/`le` comparisons), `$orderby`, `$top`, `$skip`, `$skiptoken` and
/// `$inlinecount`, and `/EntitySet/$count`. A response is cut at the sandbox's page size with a
/// `$skip`/`$top` next link, or, with server paging on (SAPODataSwitches), at the server page size
/// with a `$skiptoken` next link. Logon needs a known client (`sap-client` parameter or header,
/// 100 by default) and basic auth (the sandbox's user and password) or a bearer token.
///
/// Documented behaviours emulated, and where they are written down:
/// - JSON collections `{"d": {"results": [...], "__next": ..., "__count": "N"}}`: OData v2 JSON format
///   (https://www.odata.org/documentation/odata-version-2-0/json-format/) and [MS-ODATA] 2.2.6.3.2.1
///   (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/a079a72d-31c1-44df-b315-3972c4c85e57):
///   `__count` is a string, counted after `$filter` and before `$skip`/`$top`.
/// - The order `$filter`, `$inlinecount`, `$orderby`, `$skiptoken`, `$skip`, `$top` ([MS-ODATA] 2.2.3.6.1.2,
///   https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/965a7cb1-663e-4eef-b9f6-388c7e5c9444);
///   a partial response MUST carry a next link ([MS-ODATA], quoted in https://issues.apache.org/jira/browse/OLINGO-27);
///   `$skiptoken` is opaque to the client ([MS-ODATA] 2.2.3.6.1.9,
///   https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-odata/4dda9434-c2c5-4577-8e01-7bf9e822d90a).
/// - Server-driven paging as SAP's ABAP RESTful programming model does it: a `$top` larger than the
///   server's page gets one page and a next link with a `$skiptoken`
///   (https://community.sap.com/t5/technology-blogs-by-sap/how-to-deal-with-odata-services-that-return-only-100-entities/ba-p/13388106,
///   5,000 per page there); SAP Gateway services implement `$skiptoken` with their own page size
///   (https://help.sap.com/saphelp_gateway20sp12/helpdata/en/71/d07b52a3566f54e10000000a44176d/content.htm). The
///   next link keeps the client's options and `$top` stays the bound of the whole chain, as Apache
///   Olingo's OData v2 server does (https://issues.apache.org/jira/browse/OLINGO-162).
/// - `/$count` as `text/plain` ([MS-ODATA] 4.2.7, 2.2.7.2.10; 3.2.5.4.3: `$top`/`$skip` do not change it).
/// - Errors as `{"error": {"code", "message": {"lang", "value"}, "innererror": {...}}}` (SAP Gateway,
///   https://help.sap.com/saphelp_gateway20sp12/helpdata/en/91/76cadd9a784baeab108d61f54e2601/content.htm);
///   logon failures as HTTP 401 from the ICF before Gateway is reached (SAPODataLogon.swift).
struct SAPODataRoutes {
    let state: SandboxState
    static let servicePath = "/sap/opu/odata/sap/API_BUSINESS_PARTNER"
    static let entitySets = ["A_BusinessPartner"]

    func add(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(stringLiteral: Self.servicePath)) { request, _ -> Response in
            if let denied = gate(request) { return denied }
            let sets = Self.entitySets.map { #""\#($0)""# }.joined(separator: ",")
            return SandboxHTTP.json(#"{"d":{"EntitySets":[\#(sets)]}}"#)
        }
        router.get(RouterPath(stringLiteral: Self.servicePath + "/:resource")) { request, context -> Response in
            if let denied = gate(request) { return denied }
            let resource = context.parameters.get("resource") ?? ""
            if resource == "$metadata" { return metadata() }
            guard let table = entitySet(resource) else { return notFound(resource) }
            return entities(request, table)
        }
        router.get(RouterPath(stringLiteral: Self.servicePath + "/:resource/:segment")) { request, context -> Response in
            if let denied = gate(request) { return denied }
            let resource = context.parameters.get("resource") ?? ""
            guard let table = entitySet(resource) else { return notFound(resource) }
            guard context.parameters.get("segment") == "$count" else { return notFound(resource + "/" + (context.parameters.get("segment") ?? "")) }
            return count(request, table)
        }
    }

    func entitySet(_ name: String) -> SandboxTable? {
        Self.entitySets.contains(name) ? state.table(name) : nil
    }

    func notFound(_ segment: String) -> Response {
        error(.notFound, "/IWBEP/CM_MGW_RT/021", "Resource not found for segment 'EntitySet: \(segment)'")
    }

    func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        SAPODataError.response(status, code: code, message: message, service: "API_BUSINESS_PARTNER")
    }

    /// Faults, then the logon (client, then credentials).
    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        return SAPODataLogon(state: state).refusal(request)
    }

    /// Query items with their names and values percent-decoded (`%24top` is `$top`).
    static func params(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            let key = String(kv[0]).removingPercentEncoding ?? String(kv[0])
            out[key] = kv.count > 1 ? (String(kv[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(kv[1])) : ""
        }
        return out
    }

    /// The raw (still percent-encoded) query items in the order the client sent them.
    static func rawItems(_ request: Request) -> [(name: String, raw: Substring)] {
        (request.uri.query ?? "").split(separator: "&").map { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first ?? ""
            return (String(key).removingPercentEncoding ?? String(key), pair)
        }
    }

    func entities(_ request: Request, _ table: SandboxTable) -> Response {
        let p = Self.params(request)
        guard p["$format"] == "json" || (request.headers[.accept] ?? "").contains("json") else {
            return error(.notAcceptable, "/IWBEP/CM_MGW_RT/004", "The sandbox only answers JSON ($format=json)")
        }
        let query: SAPODataQuery
        do throws(SAPODataQuery.Refusal) { query = try SAPODataQuery(p, table) } catch { return self.error(.badRequest, error.code, error.message) }
        let matched = query.matched(table)
        let switches = state.with { $0.sap }
        let plan = SAPODataPage.plan(matched: matched.count, skip: query.skip, top: query.top, skipToken: query.skipToken,
                                     limit: switches.serverPageSize ?? state.pageSize)
        let base = "http://\(request.head.authority ?? "127.0.0.1")\(request.uri.path)"
        var out = #"{"d":{"#
        if query.inlineCount {
            // [MS-ODATA] 2.2.6.3.2.1: the count after $filter, before $skip/$top, as a string, ahead of the results.
            out += #""__count":"\#(max(0, matched.count + switches.countOffset))","#
        }
        out += #""results":["#
        for (k, r) in matched[plan.rows].enumerated() {
            if k > 0 { out += "," }
            let uri = "\(base)('\(Self.text(table.rows[r][0]))')"
            out += #"{"__metadata":{"id":"\#(uri)","uri":"\#(uri)","type":"API_BUSINESS_PARTNER.A_BusinessPartnerType"}"#
            for c in query.columns {
                out += ","
                SandboxFormat.quote(table.fields[c].name, into: &out)
                out += ":"
                Self.json(table.rows[r][c], nativeType: table.fields[c].nativeType, into: &out)
            }
            out += #","to_BusinessPartnerAddress":{"__deferred":{"uri":"\#(uri)/to_BusinessPartnerAddress"}}}"#
        }
        out += "]"
        if let next = plan.nextToken {
            out += #","__next":"\#(base)?\#(nextQuery(request, p, query, next, skipToken: switches.serverPageSize != nil))""#
        }
        out += "}}"
        return SandboxHTTP.json(out, headers: Self.dataServiceVersion)
    }

    /// The next link's query. With server paging on, SAP Gateway's way: the client's options as it
    /// sent them plus `$skiptoken` (an opaque position, [MS-ODATA] 2.2.3.6.1.9; ours counts the
    /// entities of the client's `$skip`/`$top` window already sent). Otherwise the sandbox's
    /// historical link: the options with `$skip`/`$top` moved past this page.
    func nextQuery(_ request: Request, _ p: [String: String], _ query: SAPODataQuery, _ next: Int, skipToken: Bool) -> String {
        if skipToken {
            let kept = Self.rawItems(request).filter { $0.name != "$skiptoken" }.map { String($0.raw) }
            return (kept + ["$skiptoken=\(next)"]).joined(separator: "&")
        }
        var rest = p
        rest["$skiptoken"] = nil
        rest["$skip"] = String(query.skip + next)
        if let top = query.top { rest["$top"] = String(top - next) }
        return rest.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
    }

    /// `/EntitySet/$count`: the number of entities after `$filter` as plain text ([MS-ODATA] 2.2.7.2.10
    /// and 4.2.7); `$top`, `$skip` and `$orderby` "MUST NOT change the count value" (3.2.5.4.3).
    func count(_ request: Request, _ table: SandboxTable) -> Response {
        let query: SAPODataQuery
        do throws(SAPODataQuery.Refusal) { query = try SAPODataQuery(Self.params(request), table) } catch { return self.error(.badRequest, error.code, error.message) }
        let n = max(0, query.matched(table).count + state.with { $0.sap.countOffset })
        var headers = Self.dataServiceVersion
        headers[.contentType] = "text/plain;charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: String(n))))
    }

    static var dataServiceVersion: HTTPFields {
        var h = HTTPFields()
        h[HTTPFields.Element.Name("DataServiceVersion")!] = "2.0"
        return h
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? s
    }

    static func text(_ v: SandboxValue) -> String {
        if case .string(let s) = v { return s }
        return ""
    }

    /// OData v2 JSON: Edm.Decimal as text, Edm.DateTime as `/Date(ms)/`, Edm.DateTimeOffset as `/Date(ms+0000)/`.
    static func json(_ v: SandboxValue, nativeType: String, into out: inout String) {
        switch v {
        case .double(let d) where nativeType == "Edm.Decimal": SandboxFormat.quote(String(format: "%.2f", d), into: &out)
        case .time(let t): SandboxFormat.quote(nativeType == "Edm.DateTimeOffset" ? "/Date(\(t)+0000)/" : "/Date(\(t))/", into: &out)
        default: SandboxFormat.json(v, .iso, into: &out)
        }
    }

    /// EDMX with a `<Key>` for every entity type (key properties not nullable, as CSDL requires), and
    /// the association behind `to_BusinessPartnerAddress` with its target type, so that a client
    /// resolving navigation properties (pyodata does) finds them.
    func metadata() -> Response {
        var xml = #"<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData"><edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="API_BUSINESS_PARTNER" xml:lang="en" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">"#
        for set in Self.entitySets {
            guard let table = state.table(set) else { continue }
            xml += #"<EntityType Name="\#(set)Type" sap:label="\#(table.label)"><Key><PropertyRef Name="\#(table.fields[0].name)"/></Key>"#
            for (i, f) in table.fields.enumerated() {
                let nullable = i == 0 ? #" Nullable="false""# : ""
                let filterable = f.name == "Industry" ? #" sap:filterable="false""# : ""
                let precision = f.nativeType == "Edm.Decimal" ? #" Precision="15" Scale="2""# : f.nativeType.hasPrefix("Edm.DateTime") ? #" Precision="7""# : ""
                xml += #"<Property Name="\#(f.name)" Type="\#(f.nativeType)"\#(nullable)\#(precision) sap:label="\#(f.name) &amp; more"\#(filterable)/>"#
            }
            xml += #"<NavigationProperty Name="to_BusinessPartnerAddress" Relationship="API_BUSINESS_PARTNER.assoc_Address" FromRole="FromRole_assoc_Address" ToRole="ToRole_assoc_Address"/></EntityType>"#
        }
        xml += #"<EntityType Name="A_BusinessPartnerAddressType" sap:label="Business Partner Address"><Key><PropertyRef Name="BusinessPartner"/><PropertyRef Name="AddressID"/></Key>"#
            + #"<Property Name="BusinessPartner" Type="Edm.String" Nullable="false" MaxLength="10"/><Property Name="AddressID" Type="Edm.String" Nullable="false" MaxLength="10"/>"#
            + #"<Property Name="CityName" Type="Edm.String" MaxLength="40"/></EntityType>"#
            + #"<Association Name="assoc_Address"><End Type="API_BUSINESS_PARTNER.A_BusinessPartnerType" Multiplicity="1" Role="FromRole_assoc_Address"/>"#
            + #"<End Type="API_BUSINESS_PARTNER.A_BusinessPartnerAddressType" Multiplicity="*" Role="ToRole_assoc_Address"/></Association>"#
        xml += #"<EntityContainer Name="API_BUSINESS_PARTNER_Entities" m:IsDefaultEntityContainer="true">"#
        for set in Self.entitySets { xml += #"<EntitySet Name="\#(set)" EntityType="API_BUSINESS_PARTNER.\#(set)Type" sap:creatable="false"/>"# }
        xml += "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"
        var headers = Self.dataServiceVersion
        headers[.contentType] = "application/xml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: xml)))
    }
}
