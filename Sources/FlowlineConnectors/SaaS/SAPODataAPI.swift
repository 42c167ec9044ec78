import FlowlineAPI
import FlowlineCore
import Foundation

/// An SAP OData v2 service (SAP Gateway): entity sets from the service document, their
/// properties from `$metadata`, records as JSON (`$format=json`) under `d.results`, paged with
/// `$top`/`$skip` or the server's `d.__next`, projected with `$select`, windowed with `$filter`.
/// Every call carries `sap-client` (the profile's `clientNumber`) and, when set, `sap-language`.
public struct SAPODataAPI: SaaSCatalog {
    public let session: RESTSession
    /// `scheme://host:port/service/path`, no trailing slash.
    public let serviceURL: String
    let fixedQuery: [(String, String)]
    /// Checks and completes the server's `__next` links (only the profile's own origin is followed).
    let nextLink: SAPODataNextLink

    public init(serviceURL: String, clientNumber: String, logonLanguage: String? = nil, authenticator: any Authenticator,
                policy: RetryPolicy = .standard) {
        self.serviceURL = serviceURL.hasSuffix("/") ? String(serviceURL.dropLast()) : serviceURL
        var q = [("sap-client", clientNumber)]
        if let logonLanguage, !logonLanguage.isEmpty { q.append(("sap-language", logonLanguage)) }
        fixedQuery = q
        nextLink = SAPODataNextLink(serviceURL: self.serviceURL, fixedQuery: q)
        session = RESTSession(transport: HTTPTransport(service: "SAP OData", policy: policy), authenticator: authenticator,
                              errors: SAPODataErrorDecoder(client: clientNumber))
    }

    /// From a profile's `SAPOData` properties (`applicationHostUrl`, `portNumber`,
    /// `applicationServicePath`, `clientNumber`, `logonLanguage`, `oAuthProperties.tokenUrl`) and
    /// credentials (`basicAuthCredentials`, or `oAuthCredentials` with an access and refresh token).
    public init(properties p: JSONValue?, credentials c: JSONValue?, policy: RetryPolicy = .standard,
                onTokenRenewed: @escaping @Sendable (String) async -> Void = { _ in }) throws(ConnectorError) {
        guard let host = p?["applicationHostUrl"]?.stringValue, var url = URLComponents(string: host),
              url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw .configuration(service: "SAP OData", detail: "the profile needs applicationHostUrl (an http or https URL)")
        }
        guard let path = p?["applicationServicePath"]?.stringValue, !path.isEmpty,
              let client = p?["clientNumber"]?.stringValue else {
            throw .configuration(service: "SAP OData", detail: "the profile needs applicationServicePath and clientNumber")
        }
        if let port = p?["portNumber"]?.numberValue { url.port = Int(port) }
        let base = url.path.hasSuffix("/") ? String(url.path.dropLast()) : url.path
        url.path = base + (path.hasPrefix("/") ? path : "/" + path)
        url.query = nil
        let service = url.string ?? host
        let auth: any Authenticator
        if let basic = c?["basicAuthCredentials"], let user = basic["username"]?.stringValue, let pw = basic["password"]?.stringValue {
            auth = BasicAuthenticator(username: user, password: pw)
        } else if let oauth = c?["oAuthCredentials"] {
            let tokenURL = p?["oAuthProperties"]?["tokenUrl"]?.stringValue ?? ""
            auth = OAuthRefreshAuthenticator(
                accessToken: oauth["accessToken"]?.stringValue,
                grant: .init(tokenURL: tokenURL, refreshToken: tokenURL.isEmpty ? nil : oauth["refreshToken"]?.stringValue,
                             clientId: oauth["clientId"]?.stringValue, clientSecret: oauth["clientSecret"]?.stringValue),
                transport: HTTPTransport(service: "SAP OData"), onRenewed: onTokenRenewed)
        } else {
            throw .authentication(service: "SAP OData", detail: "the profile has neither basicAuthCredentials nor oAuthCredentials")
        }
        self.init(serviceURL: service, clientNumber: client, logonLanguage: p?["logonLanguage"]?.stringValue, authenticator: auth,
                  policy: policy)
    }

    func call(_ resource: String, _ query: [(String, String)], accept: String = "application/json") -> HTTPCall {
        let url = resource.isEmpty ? serviceURL + "/" : serviceURL + "/" + resource
        return HTTPCall(url: HTTPCall.url(url, query: fixedQuery + query), headers: [("Accept", accept)])
    }

    /// The entity set a flow names: `A_BusinessPartner`, or a full path ending in it.
    static func entitySet(_ objectPath: String) -> String {
        String(objectPath.split(separator: "/").last ?? Substring(objectPath))
    }

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        let page = try await session.json(call("", [("$format", "json")]))
        guard let sets = page.json["d"]?["EntitySets"]?.arrayValue else {
            throw .malformed(service: "SAP OData", detail: "the service document has no d.EntitySets")
        }
        return sets.compactMap { $0.stringValue }.map { SaaSEntity(name: $0, label: $0) }
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        try await metadata().entityType(forSet: Self.entitySet(entity)).fields
    }

    /// `EntitySet/$count` under `filter`: how many records the set holds.
    func count(_ set: String, filter: String?) async throws(ConnectorError) -> Int {
        let reply = try await session.send(call(set + "/$count", filter.map { [("$filter", $0)] } ?? [], accept: "text/plain"))
        guard let n = Int(reply.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)), n >= 0 else {
            throw .malformed(service: "SAP OData", detail: "\(set)/$count did not answer a number")
        }
        return n
    }

    /// The service's `$metadata` (EDMX), parsed.
    func metadata() async throws(ConnectorError) -> SAPODataMetadata {
        let reply = try await session.send(call("$metadata", [], accept: "application/xml"))
        return SAPODataMetadata(xml: reply.bodyText)
    }
}
