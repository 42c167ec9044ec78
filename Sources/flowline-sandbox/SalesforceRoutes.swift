import Foundation
import Hummingbird

/// Salesforce REST: `/services/oauth2/token`, `/services/data/vXX.X/sobjects[/<O>/describe]`,
/// `/query` and `/queryAll` with `nextRecordsUrl` paging.
struct SalesforceRoutes {
    let state: SandboxState
    static let objects = ["Account", "Contact", "Opportunity"]

    func add(to router: Router<BasicRequestContext>) {
        router.post("/services/oauth2/token") { request, _ -> Response in
            if let f = SandboxHTTP.fault(state) { return f }
            let form = SandboxHTTP.form(try await request.body.collect(upTo: 1 << 20))
            let token: String
            switch state.refresh(form) {
            case .success(let t): token = t
            case .failure(.invalidClient):
                return SandboxHTTP.json(#"{"error":"invalid_client_id","error_description":"client identifier invalid"}"#, status: .badRequest)
            case .failure(.invalidGrant):
                return SandboxHTTP.json(#"{"error":"invalid_grant","error_description":"expired access/refresh token"}"#, status: .badRequest)
            }
            let base = "http://\(request.head.authority ?? "127.0.0.1")"
            return SandboxHTTP.json(#"{"access_token":\#(SandboxFormat.jsonString(token)),"instance_url":"\#(base)","token_type":"Bearer","issued_at":"\#(Int(Date().timeIntervalSince1970 * 1000))"}"#)
        }
        router.get("/services/data/:version/sobjects") { request, context -> Response in
            if let denied = gate(request) { return denied }
            let list = Self.objects.map { #"{"name":"\#($0)","label":"\#($0)","queryable":true,"custom":false}"# }
            return SandboxHTTP.json(#"{"encoding":"UTF-8","maxBatchSize":200,"sobjects":[\#(list.joined(separator: ","))]}"#)
        }
        router.get("/services/data/:version/sobjects/:object/describe") { request, context -> Response in
            if let denied = gate(request) { return denied }
            let name = context.parameters.get("object") ?? ""
            guard Self.objects.contains(name), let t = state.table(name) else {
                return SandboxHTTP.json(#"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#, status: .notFound)
            }
            // Long text areas cannot be filtered on in SOQL, as in Salesforce.
            let fields = t.fields.map { #"{"name":"\#($0.name)","label":"\#($0.name)","type":"\#($0.nativeType)","filterable":\#($0.nativeType != "textarea")}"# }
            return SandboxHTTP.json(#"{"name":"\#(t.name)","label":"\#(t.label)","fields":[\#(fields.joined(separator: ","))]}"#)
        }
        router.get("/services/data/:version/query") { request, context in
            try query(request, context, all: false)
        }
        router.get("/services/data/:version/queryAll") { request, context in
            try query(request, context, all: true)
        }
        router.get("/services/data/:version/query/:cursor") { request, context in
            if let denied = gate(request) { return denied }
            return page(cursorId: context.parameters.get("cursor") ?? "", version: context.parameters.get("version") ?? "v58.0")
        }
        router.get("/services/data/:version/queryAll/:cursor") { request, context in
            if let denied = gate(request) { return denied }
            return page(cursorId: context.parameters.get("cursor") ?? "", version: context.parameters.get("version") ?? "v58.0")
        }
        SalesforceBulkRoutes(state: state).add(to: router)
    }

    /// Faults first, then the bearer token.
    func gate(_ request: Request) -> Response? {
        if let f = SandboxHTTP.fault(state) { return f }
        guard state.isValid(bearer: SandboxHTTP.bearer(request)) else {
            return SandboxHTTP.json(#"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#, status: .unauthorized)
        }
        return nil
    }

    func query(_ request: Request, _ context: BasicRequestContext, all: Bool) throws -> Response {
        if let denied = gate(request) { return denied }
        guard let q = request.uri.queryParameters.get("q") else {
            return SandboxHTTP.json(#"[{"errorCode":"MALFORMED_QUERY","message":"The q parameter is required"}]"#, status: .badRequest)
        }
        state.log(query: [("service", "Salesforce"), ("q", q)])
        let parsed: SOQLQuery
        do { parsed = try SOQLQuery(q) } catch let e as SOQLQuery.ParseError {
            return SandboxHTTP.json(#"[{"errorCode":"MALFORMED_QUERY","message":\#(SandboxFormat.jsonString(e.message))}]"#, status: .badRequest)
        }
        guard Self.objects.contains(where: { $0.caseInsensitiveCompare(parsed.object) == .orderedSame }),
              let table = state.table(parsed.object) else {
            return SandboxHTTP.json(#"[{"errorCode":"INVALID_TYPE","message":"sObject type '\#(parsed.object)' is not supported."}]"#, status: .badRequest)
        }
        var fieldIdx: [Int] = []
        for f in parsed.fields {
            guard let i = table.index(of: f) else {
                return SandboxHTTP.json(#"[{"errorCode":"INVALID_FIELD","message":"No such column '\#(f)' on entity '\#(table.name)'."}]"#, status: .badRequest)
            }
            fieldIdx.append(i)
        }
        var rows: [Int] = []
        do {
            for (r, row) in table.rows.enumerated() {
                if !all, let d = table.deletedField, case .bool(true) = row[d] { continue }
                if try parsed.matches(row, in: table) { rows.append(r) }
                if let limit = parsed.limit, rows.count >= limit { break }
            }
        } catch let e as SOQLQuery.ParseError {
            return SandboxHTTP.json(#"[{"errorCode":"INVALID_FIELD","message":\#(SandboxFormat.jsonString(e.message))}]"#, status: .badRequest)
        }
        let id = state.openCursor(.init(table: table.name, rows: rows, fields: fieldIdx, offset: 0))
        return page(cursorId: id, version: context.parameters.get("version") ?? "v58.0", batchSize: Self.batchSize(request))
    }

    static func batchSize(_ request: Request) -> Int? {
        guard let h = request.headers.first(where: { $0.name.canonicalName == "sforce-query-options" })?.value,
              let eq = h.range(of: "batchSize=") else { return nil }
        return Int(h[eq.upperBound...].prefix { $0.isNumber })
    }

    func page(cursorId: String, version: String, batchSize: Int? = nil) -> Response {
        let id = cursorId.split(separator: "-").first.map(String.init) ?? cursorId
        guard let cursor = state.with({ $0.cursors[id] }), let table = state.table(cursor.table) else {
            return SandboxHTTP.json(#"[{"errorCode":"INVALID_QUERY_LOCATOR","message":"invalid query locator"}]"#, status: .badRequest)
        }
        let offset = cursorId.split(separator: "-").dropFirst().first.flatMap { Int($0) } ?? 0
        let size = min(batchSize ?? state.pageSize, state.pageSize)
        let end = min(offset + size, cursor.rows.count)
        var out: [UInt8] = []
        out.reserveCapacity((end - offset) * 450 + 200)
        SandboxFormat.append(#"{"totalSize":\#(cursor.rows.count),"done":\#(end >= cursor.rows.count)"#, into: &out)
        if end < cursor.rows.count {
            let next = state.nextLink("/services/data/\(version)/query/\(id)-\(end)")
            SandboxFormat.append(#","nextRecordsUrl":"\#(next)""#, into: &out)
        } else {
            _ = state.with { $0.cursors.removeValue(forKey: id) }
        }
        SandboxFormat.append(#","records":["#, into: &out)
        let attributesStart = Array(#"{"attributes":{"type":"\#(table.name)","url":"/services/data/\#(version)/sobjects/\#(table.name)/"#.utf8)
        let names = cursor.fields.map { f -> [UInt8] in
            var name: [UInt8] = [UInt8(ascii: ",")]
            SandboxFormat.quote(table.fields[f].name, into: &name)
            name.append(UInt8(ascii: ":"))
            return name
        }
        for k in offset..<end {
            let r = cursor.rows[k]
            let row = table.rows[r]
            if k > offset { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: attributesStart)
            if case .string(let s) = row[0] { SandboxFormat.append(s, into: &out) } else { SandboxFormat.digits(Int64(r), into: &out) }
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "}")])
            for (j, f) in cursor.fields.enumerated() {
                out.append(contentsOf: names[j])
                SandboxFormat.json(row[f], .salesforce, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        SandboxFormat.append("]}", into: &out)
        return SandboxHTTP.json(bytes: out)
    }
}
