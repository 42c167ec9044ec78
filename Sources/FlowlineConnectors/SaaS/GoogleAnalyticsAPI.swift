import FlowlineAPI
import FlowlineCore
import Foundation

/// Google Analytics (Universal Analytics): views from the Management API's
/// `management/accountSummaries`, their dimensions and metrics from the Metadata API
/// (`metadata/ga/columns`), and report rows from the Reporting API v4 `reports:batchGet`,
/// paged with `pageToken`/`nextPageToken`. OAuth 2 bearer tokens renewed at Google's token
/// endpoint with the refresh token, client id and secret.
public struct GoogleAnalyticsAPI: SaaSCatalog {
    public struct Endpoints: Sendable {
        public var reporting: String
        public var management: String
        public var token: String

        public static let google = Endpoints(reporting: "https://analyticsreporting.googleapis.com",
                                             management: "https://www.googleapis.com",
                                             token: "https://oauth2.googleapis.com/token")

        /// Every endpoint on one base URL (an emulator); the token endpoint at `<base>/token`.
        public static func single(_ base: String) -> Endpoints {
            let b = base.hasSuffix("/") ? String(base.dropLast()) : base
            return Endpoints(reporting: b, management: b, token: b + "/token")
        }

        /// Google's hosts, or all at `FLOWLINE_GOOGLEANALYTICS_ENDPOINT` when set: AppFlow's
        /// Google Analytics profile has no properties, so an emulator can only be named here.
        public static var configured: Endpoints {
            ProcessInfo.processInfo.environment["FLOWLINE_GOOGLEANALYTICS_ENDPOINT"].flatMap { $0.isEmpty ? nil : single($0) } ?? google
        }
    }

    public let session: RESTSession
    public let endpoints: Endpoints

    public init(endpoints: Endpoints = .configured, accessToken: String?, refreshToken: String?, clientId: String, clientSecret: String,
                policy: RetryPolicy = .standard, onTokenRenewed: @escaping @Sendable (String) async -> Void) {
        let transport = HTTPTransport(service: "Google Analytics", policy: policy)
        let auth = OAuthRefreshAuthenticator(
            accessToken: accessToken,
            grant: .init(tokenURL: endpoints.token, refreshToken: refreshToken, clientId: clientId, clientSecret: clientSecret),
            transport: transport, onRenewed: onTokenRenewed)
        session = RESTSession(transport: transport, authenticator: auth, errors: GoogleAnalyticsErrorDecoder())
        self.endpoints = endpoints
    }

    /// From a profile's `GoogleAnalytics` credentials (`clientId`, `clientSecret`, `accessToken`, `refreshToken`).
    public init(credentials c: JSONValue?, onTokenRenewed: @escaping @Sendable (String) async -> Void) throws(ConnectorError) {
        guard let id = c?["clientId"]?.stringValue, let secret = c?["clientSecret"]?.stringValue else {
            throw .authentication(service: "Google Analytics", detail: "the profile has no clientId and clientSecret")
        }
        self.init(accessToken: c?["accessToken"]?.stringValue, refreshToken: c?["refreshToken"]?.stringValue,
                  clientId: id, clientSecret: secret, onTokenRenewed: onTokenRenewed)
    }

    /// At most this many dimensions and metrics go into one report request.
    static let maxDimensions = 7
    static let maxMetrics = 10

    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        let url = endpoints.management + "/analytics/v3/management/accountSummaries"
        let page = try await session.json(HTTPCall(url: url, headers: [("Accept", "application/json")]))
        var out: [SaaSEntity] = []
        for account in page.json["items"]?.arrayValue ?? [] {
            for property in account["webProperties"]?.arrayValue ?? [] {
                for view in property["profiles"]?.arrayValue ?? [] {
                    guard let id = view["id"]?.stringValue else { continue }
                    let label = [account["name"], property["name"], view["name"]].compactMap { $0?.stringValue }.joined(separator: " / ")
                    out.append(SaaSEntity(name: id, label: label.isEmpty ? id : label))
                }
            }
        }
        return out
    }

    /// Every view offers the same columns: the public, non-deprecated dimensions and metrics.
    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        let url = endpoints.management + "/analytics/v3/metadata/ga/columns"
        let page = try await session.json(HTTPCall(url: url, headers: [("Accept", "application/json")]))
        return (page.json["items"]?.arrayValue ?? []).compactMap { column in
            guard let id = column["id"]?.stringValue, let a = column["attributes"],
                  a["status"]?.stringValue != "DEPRECATED", let kind = a["type"]?.stringValue else { return nil }
            let dataType = a["dataType"]?.stringValue ?? "STRING"
            return SaaSField(name: id, label: a["uiName"]?.stringValue ?? id, nativeType: "\(kind):\(dataType)",
                             type: Self.type(id: id, kind: kind, dataType: dataType))
        }
    }

    static func type(id: String, kind: String, dataType: String) -> FieldType {
        if kind == "DIMENSION" {
            switch id {
            case "ga:date": return .date
            case "ga:dateHour", "ga:dateHourMinute": return .timestamp
            default: return .string
            }
        }
        switch dataType {
        case "INTEGER": return .int
        case "FLOAT", "PERCENT", "CURRENCY", "TIME": return .double
        default: return .string
        }
    }

    static func isMetric(_ field: SaaSField) -> Bool { field.nativeType.hasPrefix("METRIC") }
}

/// Google's error body: `{"error": {"code": 401, "message": …, "status": "UNAUTHENTICATED"}}`.
struct GoogleAnalyticsErrorDecoder: ErrorDecoder {
    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let json = try? JSONDocument.parse(reply.body)
        if let e = json?["error"], let message = e["message"]?.stringValue {
            return .api(service: service, status: reply.status, code: e["status"]?.stringValue ?? "HTTP \(reply.status)", message: message)
        }
        if let code = json?["error"]?.stringValue {   // the token endpoint's OAuth error
            return .api(service: service, status: reply.status, code: code, message: json?["error_description"]?.stringValue ?? "")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }
}
