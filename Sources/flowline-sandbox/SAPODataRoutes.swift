import Foundation
import Hummingbird

/// SAP Gateway OData v2 for the service `/sap/opu/odata/sap/API_BUSINESS_PARTNER`: the service
/// document, `$metadata` (EDMX), and entity sets with `$format=json`, `$select`, `$filter`
/// (`and`-joined `eq`/`ne`/`gt`/`ge`/`lt`/`le` comparisons), `$top`, `$skip`; when a page is cut at
/// the sandbox's page size, `d.__next` links to the rest. Every call needs `sap-client=100`, and
/// basic auth (the sandbox's user and password) or a bearer token.
struct SAPODataRoutes {
    let state: SandboxState
    static let servicePath = "/sap/opu/odata/sap/API_BUSINESS_PARTNER"
    static let entitySets = ["A_BusinessPartner"]
    static let client = "100"

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
            guard Self.entitySets.contains(resource), let table = state.table(resource) else {
                return error(.notFound, "/IWBEP/CM_MGW_RT/021", "Resource not found for segment 'EntitySet: \(resource)'")
            }
            return entities(request, table)
        }
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

    func entities(_ request: Request, _ table: SandboxTable) -> Response {
        let p = Self.params(request)
        guard p["$format"] == "json" || (request.headers[.accept] ?? "").contains("json") else {
            return error(.notAcceptable, "/IWBEP/CM_MGW_RT/004", "The sandbox only answers JSON ($format=json)")
        }
        var columns = Array(table.fields.indices)
        if let select = p["$select"], !select.isEmpty {
            columns = []
            for name in select.split(separator: ",") {
                guard let i = table.fields.firstIndex(where: { $0.name == name }) else {
                    return error(.badRequest, "/IWBEP/CM_MGW_RT/022", "Property '\(name)' is invalid")
                }
                columns.append(i)
            }
        }
        var terms: [(Int, String, SandboxValue)] = []
        if let filter = p["$filter"], !filter.isEmpty {
            for term in filter.components(separatedBy: " and ") {
                guard let parsed = Self.term(term, table) else {
                    return error(.badRequest, "/IWBEP/CM_MGW_RT/022", "Invalid filter expression: '\(term)'")
                }
                terms.append(parsed)
            }
        }
        let matched = table.rows.indices.filter { r in
            terms.allSatisfy { field, op, literal in
                guard let c = SOQLQuery.compare(table.rows[r][field], literal) else { return false }
                switch op {
                case "eq": return c == 0
                case "ne": return c != 0
                case "gt": return c > 0
                case "ge": return c >= 0
                case "lt": return c < 0
                default: return c <= 0
                }
            }
        }
        let skip = Int(p["$skip"] ?? "") ?? 0
        let top = Int(p["$top"] ?? "") ?? Int.max
        let served = min(top, state.pageSize)
        let page = matched.dropFirst(skip).prefix(served)
        let base = "http://\(request.head.authority ?? "127.0.0.1")\(request.uri.path)"
        var out = #"{"d":{"results":["#
        for (k, r) in page.enumerated() {
            if k > 0 { out += "," }
            out += #"{"__metadata":{"id":"\#(base)('\#(Self.text(table.rows[r][0]))')","uri":"\#(base)('\#(Self.text(table.rows[r][0]))')","type":"API_BUSINESS_PARTNER.A_BusinessPartnerType"}"#
            for c in columns {
                out += ","
                SandboxFormat.quote(table.fields[c].name, into: &out)
                out += ":"
                Self.json(table.rows[r][c], nativeType: table.fields[c].nativeType, into: &out)
            }
            out += #","to_BusinessPartnerAddress":{"__deferred":{"uri":"\#(base)('\#(Self.text(table.rows[r][0]))')/to_BusinessPartnerAddress"}}}"#
        }
        out += "]"
        // The server cut the page short of what `$top` asked for: link to the rest.
        if served < top, skip + page.count < matched.count {
            var rest = p
            rest["$skip"] = String(skip + page.count)
            if top != Int.max { rest["$top"] = String(top - page.count) }
            let query = rest.sorted { $0.key < $1.key }.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
            out += #","__next":"\#(base)?\#(query)""#
        }
        out += "}}"
        return SandboxHTTP.json(out)
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")) ?? s
    }

    /// `Field op literal` with `'text'`, numbers, `true`/`false`, `datetime'…'`, `datetimeoffset'…'`.
    static func term(_ text: String, _ table: SandboxTable) -> (Int, String, SandboxValue)? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: " ", maxSplits: 2).map(String.init)
        guard parts.count == 3, let field = table.fields.firstIndex(where: { $0.name == parts[0] }),
              ["eq", "ne", "gt", "ge", "lt", "le"].contains(parts[1]) else { return nil }
        let lit = parts[2]
        let value: SandboxValue
        if lit.hasPrefix("datetime'") || lit.hasPrefix("datetimeoffset'") {
            guard lit.hasSuffix("'"), let t = SandboxFormat.parseISO(String(lit.drop { $0 != "'" }.dropFirst().dropLast())) else { return nil }
            value = .time(t)
        } else if lit.hasPrefix("'"), lit.hasSuffix("'") {
            value = .string(String(lit.dropFirst().dropLast()).replacingOccurrences(of: "''", with: "'"))
        } else if lit == "true" || lit == "false" {
            value = .bool(lit == "true")
        } else if let d = Double(lit) {
            value = .double(d)
        } else {
            return nil
        }
        return (field, parts[1], value)
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

    func metadata() -> Response {
        var xml = #"<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata" xmlns:sap="http://www.sap.com/Protocols/SAPData"><edmx:DataServices m:DataServiceVersion="2.0"><Schema Namespace="API_BUSINESS_PARTNER" xml:lang="en" xmlns="http://schemas.microsoft.com/ado/2008/09/edm">"#
        for set in Self.entitySets {
            guard let table = state.table(set) else { continue }
            xml += #"<EntityType Name="\#(set)Type" sap:label="\#(table.label)"><Key><PropertyRef Name="\#(table.fields[0].name)"/></Key>"#
            for f in table.fields {
                let filterable = f.name == "Industry" ? #" sap:filterable="false""# : ""
                let precision = f.nativeType == "Edm.Decimal" ? #" Precision="15" Scale="2""# : f.nativeType.hasPrefix("Edm.DateTime") ? #" Precision="7""# : ""
                xml += #"<Property Name="\#(f.name)" Type="\#(f.nativeType)"\#(precision) sap:label="\#(f.name) &amp; more"\#(filterable)/>"#
            }
            xml += #"<NavigationProperty Name="to_BusinessPartnerAddress" Relationship="API_BUSINESS_PARTNER.assoc_Address" FromRole="FromRole" ToRole="ToRole"/></EntityType>"#
        }
        xml += #"<EntityContainer Name="API_BUSINESS_PARTNER_Entities" m:IsDefaultEntityContainer="true">"#
        for set in Self.entitySets { xml += #"<EntitySet Name="\#(set)" EntityType="API_BUSINESS_PARTNER.\#(set)Type" sap:creatable="false"/>"# }
        xml += "</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>"
        var headers = HTTPFields()
        headers[.contentType] = "application/xml"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: .init(string: xml)))
    }

    func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        SandboxHTTP.json(#"{"error":{"code":"\#(code)","message":{"lang":"en","value":\#(SandboxFormat.jsonString(message))}}}"#, status: status)
    }

    /// Faults, then `sap-client`, then basic auth or a bearer token.
    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        let basicOK = SandboxHTTP.basic(request).map { $0.0 == state.username && $0.1 == state.password } ?? false
        guard basicOK || state.isValid(bearer: SandboxHTTP.bearer(request)) else {
            var headers = HTTPFields()
            headers[.contentType] = "text/html"
            headers[.wwwAuthenticate] = #"Basic realm="SAP NetWeaver Application Server [SBX/100]""#
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: .init(string: "<html><body>Logon failed</body></html>")))
        }
        guard Self.params(request)["sap-client"] == Self.client else {
            return error(.unauthorized, "/IWFND/CM_CONSUMER/101", "Client \(Self.params(request)["sap-client"] ?? "(none)") is not available in this system")
        }
        return nil
    }
}
