import FlowlineAPI
import FlowlineCore
import Foundation

/// The Salesforce REST API: global and per-object describe, and SOQL queries.
public struct SalesforceAPI: SaaSCatalog {
    public static let defaultVersion = "v58.0"
    public let session: RESTSession
    public let instanceURL: String
    public let version: String

    /// `instanceURL` is what every data call goes to; tokens are renewed at `tokenURL(…)`.
    public init(instanceURL: String, tokenURL: String, accessToken: String?, refreshToken: String?, clientId: String? = nil,
                clientSecret: String? = nil, version: String = Self.defaultVersion, policy: RetryPolicy = .standard,
                onTokenRenewed: @escaping @Sendable (String) async -> Void) {
        let base = instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL
        let transport = HTTPTransport(service: "Salesforce", policy: policy)
        let grant = OAuthRefreshAuthenticator.Grant(tokenURL: tokenURL, refreshToken: refreshToken,
                                                    clientId: clientId, clientSecret: clientSecret)
        let auth = OAuthRefreshAuthenticator(accessToken: accessToken, grant: grant, transport: transport, onRenewed: onTokenRenewed)
        session = RESTSession(transport: transport, authenticator: auth, errors: SalesforceErrorDecoder())
        self.instanceURL = base
        self.version = version
    }

    /// Salesforce's OAuth token endpoint: on the login host of production orgs
    /// (`login.salesforce.com`) or of sandboxes (`test.salesforce.com`), unless `loginURL` names
    /// another (a My Domain login URL, or an emulator in tests).
    public static func tokenURL(isSandboxEnvironment: Bool, loginURL: String? = nil) -> String {
        var login = loginURL ?? (isSandboxEnvironment ? "https://test.salesforce.com" : "https://login.salesforce.com")
        if login.hasSuffix("/") { login.removeLast() }
        return login + "/services/oauth2/token"
    }

    var dataURL: String { "\(instanceURL)/services/data/\(version)" }

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        let page = try await session.json(HTTPCall(url: dataURL + "/sobjects", headers: [("Accept", "application/json")]))
        guard let objects = page.json["sobjects"]?.arrayValue else {
            throw .malformed(service: "Salesforce", detail: "the global describe has no 'sobjects'")
        }
        return objects.compactMap { o in
            guard let name = o["name"]?.stringValue, o["queryable"]?.boolValue ?? true else { return nil }
            return SaaSEntity(name: name, label: o["label"]?.stringValue ?? name)
        }
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        let url = dataURL + "/sobjects/" + HTTPCall.percentEncode(entity) + "/describe"
        let page = try await session.json(HTTPCall(url: url, headers: [("Accept", "application/json")]))
        guard let fields = page.json["fields"]?.arrayValue else {
            throw .malformed(service: "Salesforce", detail: "the describe of \(entity) has no 'fields'")
        }
        return fields.compactMap { f in
            guard let name = f["name"]?.stringValue else { return nil }
            let native = f["type"]?.stringValue ?? "string"
            // Compound fields (address, location) repeat their parts as separate fields.
            if native == "address" || native == "location" { return nil }
            let type = FieldType(appFlowName: native) ?? .string
            var ops = SaaSField.operators(for: type)
            if f["filterable"]?.boolValue == false { ops = ["PROJECTION", "NO_OP"] }
            return SaaSField(name: name, label: f["label"]?.stringValue ?? name, nativeType: native, type: type, filterOperators: ops)
        }
    }

    /// The first call of a SOQL query (`queryAll` also returns deleted and archived records).
    func queryCall(_ soql: String, includeDeleted: Bool, batchSize: Int) -> HTTPCall {
        let url = HTTPCall.url(dataURL + (includeDeleted ? "/queryAll" : "/query"), query: [("q", soql)])
        return HTTPCall(url: url, headers: [("Accept", "application/json"),
                                            ("Sforce-Query-Options", "batchSize=\(max(200, min(2000, batchSize)))")])
    }
}

/// Salesforce error bodies: `[{"errorCode": …, "message": …}]`, or OAuth's `{"error": …, "error_description": …}`.
struct SalesforceErrorDecoder: ErrorDecoder {
    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let json = try? JSONDocument.parse(reply.body)
        if let first = json?.arrayValue?.first, let code = first["errorCode"]?.stringValue {
            return .api(service: service, status: reply.status, code: code, message: first["message"]?.stringValue ?? "")
        }
        if let code = json?["error"]?.stringValue {
            return .api(service: service, status: reply.status, code: code, message: json?["error_description"]?.stringValue ?? "")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }
}

/// Salesforce's query paging: `nextRecordsUrl` until `done`.
struct SalesforcePaginator: Paginator {
    let instanceURL: String
    func next(after page: FetchedPage, recordCount: Int) throws(ConnectorError) -> HTTPCall? {
        if page.json["done"]?.boolValue == true { return nil }
        return try NextURLPaginator(baseURL: instanceURL, "nextRecordsUrl").next(after: page, recordCount: recordCount)
    }
}
