import FlowlineAPI
import FlowlineCore
import Foundation

/// The Slack Web API: `conversations.list` for entities, `conversations.history` for a channel's
/// messages, both paged by `response_metadata.next_cursor`; `oldest`/`latest` carry the window.
/// Slack answers HTTP 200 with `{"ok": false, "error": …}` for most failures.
public struct SlackAPI: SaaSCatalog {
    public let session: RESTSession
    public let baseURL: String

    /// `instanceURL` is the workspace URL (`https://acme.slack.com`); methods are under `/api/`.
    public init(instanceURL: String, token: String, policy: RetryPolicy = .standard) {
        baseURL = (instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL) + "/api"
        session = RESTSession(transport: HTTPTransport(service: "Slack", policy: policy),
                              authenticator: BearerAuthenticator(token: token), errors: PlainErrorDecoder())
    }

    static let messageFields: [SaaSField] = [
        SaaSField(name: "ts", label: "Message timestamp (id)", nativeType: "string", type: .string),
        SaaSField(name: "type", label: "Type", nativeType: "string", type: .string),
        SaaSField(name: "subtype", label: "Subtype", nativeType: "string", type: .string),
        SaaSField(name: "user", label: "User", nativeType: "string", type: .string),
        SaaSField(name: "text", label: "Text", nativeType: "string", type: .string),
        SaaSField(name: "thread_ts", label: "Thread timestamp", nativeType: "string", type: .string),
        SaaSField(name: "reply_count", label: "Replies", nativeType: "integer", type: .int),
    ]

    func call(_ method: String, _ query: [(String, String)]) -> HTTPCall {
        HTTPCall(url: HTTPCall.url("\(baseURL)/\(method)", query: query), headers: [("Accept", "application/json")])
    }

    /// Fails on `ok: false`, naming Slack's error code.
    static func check(_ json: JSONValue) throws(ConnectorError) {
        guard json["ok"]?.boolValue == false else { return }
        let code = json["error"]?.stringValue ?? "unknown_error"
        if ["invalid_auth", "not_authed", "token_expired", "token_revoked", "account_inactive"].contains(code) {
            throw .authentication(service: "Slack", detail: code)
        }
        throw .api(service: "Slack", status: 200, code: code, message: "the Slack API refused the request")
    }

    /// One channel of `conversations.list`, not every page of them.
    public func checkConnection() async throws(ConnectorError) {
        let page = try await session.json(call("conversations.list", [("limit", "1"), ("types", "public_channel,private_channel")]))
        try Self.check(page.json)
    }

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        var out: [SaaSEntity] = []
        var cursor = ""
        repeat {
            var q = [("limit", "200"), ("types", "public_channel,private_channel")]
            if !cursor.isEmpty { q.append(("cursor", cursor)) }
            let page = try await session.json(call("conversations.list", q))
            try Self.check(page.json)
            for c in page.json["channels"]?.arrayValue ?? [] {
                guard let id = c["id"]?.stringValue else { continue }
                out.append(SaaSEntity(name: "conversations/\(id)", label: "#" + (c["name"]?.stringValue ?? id)))
            }
            cursor = page.json["response_metadata"]?["next_cursor"]?.stringValue ?? ""
        } while !cursor.isEmpty
        return out
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] { Self.messageFields }

    /// `conversations/C123` or `C123`.
    static func channel(_ entity: String) -> String {
        entity.hasPrefix("conversations/") ? String(entity.dropFirst("conversations/".count)) : entity
    }

    /// Slack timestamps: seconds with six decimals.
    static func ts(_ micros: Int64) -> String {
        String(format: "%lld.%06lld", micros / 1_000_000, micros % 1_000_000)
    }
}

/// Slack pages: records under a key, after checking `ok`.
struct SlackSelector: RecordSelector {
    let key: String
    func records(in page: FetchedPage) throws(ConnectorError) -> [JSONValue] {
        try SlackAPI.check(page.json)
        return page.json[key]?.arrayValue ?? []
    }
}

/// `response_metadata.next_cursor`, sent back as `cursor`.
struct SlackCursorPaginator: Paginator {
    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        guard let cursor = page.json["response_metadata"]?["next_cursor"]?.stringValue, !cursor.isEmpty,
              var components = URLComponents(string: page.call.url) else { return nil }
        var items = components.queryItems ?? []
        items.removeAll { $0.name == "cursor" }
        items.append(URLQueryItem(name: "cursor", value: cursor))
        components.percentEncodedQuery = items.map { "\(HTTPCall.percentEncode($0.name))=\(HTTPCall.percentEncode($0.value ?? ""))" }.joined(separator: "&")
        var call = page.call
        call.url = components.string ?? page.call.url
        return call
    }
}

/// A Slack channel's messages as a flow source.
public struct SlackSource: RecordSource {
    public let api: SlackAPI
    public let entity: String

    public init(api: SlackAPI, entity: String) {
        self.api = api
        self.entity = entity
    }

    public var appliesWindow: Bool { true }

    public func schema() async throws -> Schema { Schema(saasFields: SlackAPI.messageFields) }

    public func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let api = self.api, entity = self.entity
        return LazyChunks.stream {
            let fields = try projectedFields(SlackAPI.messageFields, projection: request.projection, service: "Slack", entity: entity)
            var q = [("channel", SlackAPI.channel(entity)), ("limit", "200")]
            if let w = request.window {
                // `oldest` and `latest` are exclusive: one microsecond before `from` makes the window [from, to).
                q += [("oldest", SlackAPI.ts(w.from - 1)), ("latest", SlackAPI.ts(w.to)), ("inclusive", "false")]
            }
            return RESTRecordStream(session: api.session, first: api.call("conversations.history", q),
                                    paginator: SlackCursorPaginator(), selector: SlackSelector(key: "messages"),
                                    converter: JSONRecordConverter(schema: Schema(saasFields: fields)))
        }
    }
}
