import FlowlineAPI
import FlowlineCore
import Foundation

/// The Zendesk Support API: the cursor-based incremental export for tickets and users
/// (`/api/v2/incremental/<object>/cursor.json?start_time=…`, following `after_url` until
/// `end_of_stream`), and cursor pagination (`page[size]`, `links.next`) for other objects.
public struct ZendeskAPI: SaaSCatalog {
    public let session: RESTSession
    public let instanceURL: String

    public init(instanceURL: String, token: String, policy: RetryPolicy = .standard) {
        self.instanceURL = instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL
        session = RESTSession(transport: HTTPTransport(service: "Zendesk", policy: policy),
                              authenticator: BearerAuthenticator(token: token), errors: ZendeskErrorDecoder())
    }

    static let incrementalObjects: Set<String> = ["tickets", "users"]

    static let objectFields: [String: [SaaSField]] = [
        "tickets": fields([("id", .int), ("url", .string), ("subject", .string), ("description", .string), ("status", .string),
                           ("priority", .string), ("type", .string), ("requester_id", .int), ("assignee_id", .int),
                           ("organization_id", .int), ("created_at", .timestamp), ("updated_at", .timestamp)]),
        "users": fields([("id", .int), ("name", .string), ("email", .string), ("role", .string), ("active", .bool),
                         ("created_at", .timestamp), ("updated_at", .timestamp)]),
        "organizations": fields([("id", .int), ("name", .string), ("created_at", .timestamp), ("updated_at", .timestamp)]),
        "groups": fields([("id", .int), ("name", .string), ("created_at", .timestamp), ("updated_at", .timestamp)]),
    ]

    static func fields(_ list: [(String, FieldType)]) -> [SaaSField] {
        list.map { SaaSField(name: $0.0, label: $0.0, nativeType: $0.1 == .timestamp ? "datetime" : $0.1.rawValue, type: $0.1) }
    }

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        Self.objectFields.keys.sorted().map { SaaSEntity(name: $0, label: $0.capitalized) }
    }

    /// The ticket export from a minute ago, one ticket a page: Zendesk's entities are known
    /// without asking, so this is the request that proves the URL and the token.
    public func checkConnection() async throws(ConnectorError) {
        let start = Int(Date().timeIntervalSince1970) - 60
        let url = HTTPCall.url("\(instanceURL)/api/v2/incremental/tickets/cursor.json", query: [("start_time", String(start)), ("per_page", "1")])
        _ = try await session.json(HTTPCall(url: url, headers: [("Accept", "application/json")]))
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        guard let f = Self.objectFields[entity] else {
            throw .configuration(service: "Zendesk", detail: "object '\(entity)' is not one Flowline reads (tickets, users, organizations, groups)")
        }
        return f
    }
}

/// `{"error": "Couldn't authenticate you"}` or `{"error": {"title": …, "message": …}}`.
struct ZendeskErrorDecoder: ErrorDecoder {
    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let json = try? JSONDocument.parse(reply.body)
        if let text = json?["error"]?.stringValue {
            return .api(service: service, status: reply.status, code: text, message: json?["description"]?.stringValue ?? "")
        }
        if let e = json?["error"], let title = e["title"]?.stringValue {
            return .api(service: service, status: reply.status, code: title, message: e["message"]?.stringValue ?? "")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }
}

/// The incremental export's `after_url` until `end_of_stream`; the list endpoints' `links.next` while `meta.has_more`.
struct ZendeskPaginator: Paginator {
    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        var call = page.call
        if let end = page.json["end_of_stream"]?.boolValue {
            guard !end, let url = page.json["after_url"]?.stringValue else { return nil }
            call.url = url
            return call
        }
        guard page.json["meta"]?["has_more"]?.boolValue == true, let url = page.json["links"]?["next"]?.stringValue else { return nil }
        call.url = url
        return call
    }
}

/// A Zendesk object as a flow source. The export's `start_time` has whole seconds and no upper
/// bound, so records are also kept only when `updated_at` lies in the window. Zendesk times have
/// whole seconds: both bounds round down to the second (as in SOQL), so a change made in the
/// second a run started is not lost between that run and the next.
public struct ZendeskSource: RecordSource {
    public let api: ZendeskAPI
    public let object: String

    public init(api: ZendeskAPI, object: String) {
        self.api = api
        self.object = object
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: try await api.fields(of: object)) }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, object = self.object
        return LazyChunks.stream {
            let all = try await api.fields(of: object)
            let fields = try projectedFields(all, projection: request.projection, service: "Zendesk", entity: object)
            let window = request.window
            let first: HTTPCall
            if ZendeskAPI.incrementalObjects.contains(object) {
                let start = window.map { SOQLBuilder.floorSeconds($0.from) / 1_000_000 } ?? 0
                first = HTTPCall(url: HTTPCall.url("\(api.instanceURL)/api/v2/incremental/\(object)/cursor.json",
                                                   query: [("start_time", String(start)), ("per_page", "1000")]),
                                 headers: [("Accept", "application/json")])
            } else {
                first = HTTPCall(url: HTTPCall.url("\(api.instanceURL)/api/v2/\(object).json", query: [("page[size]", "100")]),
                                 headers: [("Accept", "application/json")])
            }
            var keep: (@Sendable (JSONValue) -> Bool)?
            if let window {
                let field = window.field
                let from = SOQLBuilder.floorSeconds(window.from), to = SOQLBuilder.floorSeconds(window.to)
                keep = { record in
                    guard let text = record[field]?.stringValue, let t = ValueFormat.parseTimestamp(Substring(text)) else { return false }
                    return t >= from && t < to
                }
            }
            return RESTRecordStream(session: api.session, first: first, paginator: ZendeskPaginator(),
                                    selector: KeyPathSelector(object), converter: JSONRecordConverter(schema: Schema(saasFields: fields)),
                                    keep: keep)
        }
    }
}
