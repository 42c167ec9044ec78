import FlowlineAPI
import FlowlineCore
import Foundation

/// The ServiceNow Table API (`/api/now/table/<table>`): tables from `sys_db_object`, fields from
/// `sys_dictionary`, records paged with `sysparm_limit`/`sysparm_offset` (following the `Link`
/// header), selected with `sysparm_fields` and filtered with an encoded `sysparm_query`.
public struct ServiceNowAPI: SaaSCatalog {
    public let session: RESTSession
    public let instanceURL: String

    public init(instanceURL: String, authenticator: any Authenticator, policy: RetryPolicy = .standard) {
        instanceURL.hasSuffix("/") ? (self.instanceURL = String(instanceURL.dropLast())) : (self.instanceURL = instanceURL)
        session = RESTSession(transport: HTTPTransport(service: "ServiceNow", policy: policy), authenticator: authenticator,
                              errors: ServiceNowErrorDecoder())
    }

    /// Basic authentication, or OAuth with a refresh token at `/oauth_token.do`.
    public static func authenticator(instanceURL: String, username: String?, password: String?, accessToken: String?,
                                     refreshToken: String?, clientId: String?, clientSecret: String?,
                                     onRenewed: @escaping @Sendable (String) async -> Void) -> any Authenticator {
        if let username, let password { return BasicAuthenticator(username: username, password: password) }
        let base = instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL
        return OAuthRefreshAuthenticator(accessToken: accessToken,
            grant: .init(tokenURL: base + "/oauth_token.do", refreshToken: refreshToken, clientId: clientId, clientSecret: clientSecret),
            transport: HTTPTransport(service: "ServiceNow"), onRenewed: onRenewed)
    }

    func tableURL(_ table: String) -> String { "\(instanceURL)/api/now/table/\(HTTPCall.percentEncode(table))" }

    func call(_ table: String, _ query: [(String, String)]) -> HTTPCall {
        HTTPCall(url: HTTPCall.url(tableURL(table), query: query), headers: [("Accept", "application/json")])
    }

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        let page = try await session.json(call("sys_db_object", [("sysparm_fields", "name,label"), ("sysparm_limit", "10000")]))
        return (page.json["result"]?.arrayValue ?? []).compactMap { t in
            guard let name = t["name"]?.stringValue else { return nil }
            return SaaSEntity(name: name, label: t["label"]?.stringValue ?? name)
        }
    }

    /// One row of `sys_db_object`: the table list can be thousands of rows long.
    public func checkConnection() async throws(ConnectorError) {
        _ = try await session.json(call("sys_db_object", [("sysparm_fields", "name"), ("sysparm_limit", "1")]))
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        try QueryNames.checkObject(entity, service: "ServiceNow")   // it goes into the dictionary's sysparm_query
        let page = try await session.json(call("sys_dictionary", [
            ("sysparm_query", "name=\(entity)^elementISNOTEMPTY"), ("sysparm_fields", "element,column_label,internal_type"),
            ("sysparm_limit", "10000")]))
        let fields: [SaaSField] = (page.json["result"]?.arrayValue ?? []).compactMap { f in
            guard let name = f["element"]?.stringValue, !name.isEmpty else { return nil }
            let native = f["internal_type"]?.stringValue ?? "string"
            return SaaSField(name: name, label: f["column_label"]?.stringValue ?? name, nativeType: native, type: Self.type(native))
        }
        guard !fields.isEmpty else {
            throw .api(service: "ServiceNow", status: 404, code: "Invalid table", message: "Table \(entity) has no fields or does not exist")
        }
        return fields
    }

    static func type(_ native: String) -> FieldType {
        switch native {
        case "glide_date_time", "due_date", "glide_time": return .timestamp
        case "glide_date": return .date
        case "integer", "longint": return .int
        case "boolean": return .bool
        case "decimal", "float", "currency", "price": return .double
        default: return .string
        }
    }
}

/// ServiceNow's error body: `{"error": {"message": …, "detail": …}, "status": "failure"}`.
struct ServiceNowErrorDecoder: ErrorDecoder {
    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let json = try? JSONDocument.parse(reply.body)
        if let e = json?["error"], let message = e["message"]?.stringValue {
            return .api(service: service, status: reply.status, code: message, message: e["detail"]?.stringValue ?? "")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }
}

/// The `Link: <…>;rel="next"` header, else the next offset while pages come back full.
struct ServiceNowPaginator: Paginator {
    let limit: Int
    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        if let link = page.reply.headers.first(name: "Link") {
            for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
                guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">") else { continue }
                var call = page.call
                call.url = String(part[part.index(after: open)..<close])
                return call
            }
            return nil
        }
        guard recordCount >= limit, var components = URLComponents(string: page.call.url) else { return nil }
        var items = components.queryItems ?? []
        let offset = Int(items.first { $0.name == "sysparm_offset" }?.value ?? "0") ?? 0
        items.removeAll { $0.name == "sysparm_offset" }
        items.append(URLQueryItem(name: "sysparm_offset", value: String(offset + limit)))
        components.queryItems = items
        var call = page.call
        call.url = components.string ?? page.call.url
        return call
    }
}

/// A ServiceNow table as a flow source.
public struct ServiceNowSource: RecordSource {
    public let api: ServiceNowAPI
    public let table: String
    public let pushdown: @Sendable (Schema) -> [FilterCriterion]

    public init(api: ServiceNowAPI, table: String, pushdown: @escaping @Sendable (Schema) -> [FilterCriterion] = { _ in [] }) {
        self.api = api
        self.table = table
        self.pushdown = pushdown
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: try await api.fields(of: table)) }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, table = self.table, pushdown = self.pushdown
        return LazyChunks.stream {
            let all = try await api.fields(of: table)
            let fields = try projectedFields(all, projection: request.projection, service: "ServiceNow", entity: table)
            try QueryNames.checkFields(fields, window: request.window, described: all, object: table, service: "ServiceNow")
            let query = ServiceNowQuery.encoded(filters: pushdown(Schema(saasFields: all)), fields: all, window: request.window)
            let limit = max(100, min(10_000, request.batchSize))
            let first = api.call(table, [("sysparm_query", query), ("sysparm_fields", fields.map(\.name).joined(separator: ",")),
                                         ("sysparm_limit", String(limit)), ("sysparm_offset", "0"),
                                         ("sysparm_exclude_reference_link", "true")])
            return RESTRecordStream(session: api.session, first: first, paginator: ServiceNowPaginator(limit: limit),
                                    selector: KeyPathSelector("result"), converter: JSONRecordConverter(schema: Schema(saasFields: fields)),
                                    recordsKey: "result")
        }
    }
}

/// ServiceNow encoded queries (`a=1^b>=2^ORDERBYsys_id`): the incremental window on its field
/// and the equality and numeric filters that keep at least what the task plan keeps.
enum ServiceNowQuery {
    static func encoded(filters: [FilterCriterion], fields: [SaaSField], window: IncrementalWindow?) -> String {
        var parts: [String] = []
        let types = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        for f in filters {
            guard let type = types[f.field], type == f.dataType, let c = condition(f) else { continue }
            parts.append(c)
        }
        if let window {
            parts.append("\(window.field)>=\(time(window.from))")
            parts.append("\(window.field)<\(time(window.to))")
        }
        // A stable order, so offset paging neither skips nor repeats records.
        parts.append("ORDERBYsys_id")
        return parts.joined(separator: "^")
    }

    static func condition(_ f: FilterCriterion) -> String? {
        let values = f.operands.compactMap(literal)
        guard values.count == f.operands.count, !values.isEmpty, !values.contains(where: { $0.contains("^") || $0.contains(",") }) else { return nil }
        let numeric = [FieldType.int, .double, .decimal, .date, .timestamp].contains(f.dataType)
        switch f.op {
        case .equalTo: return values.count == 1 ? "\(f.field)=\(values[0])" : "\(f.field)IN\(values.joined(separator: ","))"
        case .lessThan where numeric: return "\(f.field)<\(values[0])"
        case .lessThanOrEqualTo where numeric: return "\(f.field)<=\(values[0])"
        case .greaterThan where numeric: return "\(f.field)>\(values[0])"
        case .greaterThanOrEqualTo where numeric: return "\(f.field)>=\(values[0])"
        default: return nil
        }
    }

    static func literal(_ v: Value) -> String? {
        switch v {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? String(d) : nil
        case .decimal(let d): return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .date(let d): return ValueFormat.dateString(days: d)
        case .timestamp(let t): return t % 1_000_000 == 0 ? time(t) : nil
        case .null: return nil
        }
    }

    /// `YYYY-MM-DD hh:mm:ss` (UTC), rounded down to the second like SOQL's bounds.
    static func time(_ micros: Int64) -> String {
        let text = ValueFormat.timestampString(micros: SOQLBuilder.floorSeconds(micros))
        return String(text.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}
