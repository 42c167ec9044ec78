import FlowlineAPI
import FlowlineCore
import Foundation
import Synchronization

/// The Marketo REST API: an access token from the identity service (client credentials),
/// `leads.json` by filter type and `activities.json` from a paging token, both paged by
/// `nextPageToken` while `moreResult`. Marketo answers most failures with HTTP 200 and
/// `{"success": false, "errors": [{"code": "601", "message": …}]}`.
public struct MarketoAPI: SaaSCatalog {
    public let session: RESTSession
    public let instanceURL: String
    let policy: RetryPolicy

    /// `instanceURL` is the REST endpoint (`https://123-ABC-456.mktorest.com`); the identity
    /// service is on the same host. `accessToken`, when the profile has one, is tried first.
    public init(instanceURL: String, clientId: String, clientSecret: String, accessToken: String? = nil,
                policy: RetryPolicy = .standard, onTokenRenewed: @escaping @Sendable (String) async -> Void = { _ in }) {
        let base = instanceURL.hasSuffix("/") ? String(instanceURL.dropLast()) : instanceURL
        let transport = HTTPTransport(service: "Marketo", policy: policy)
        let auth = MarketoTokenAuthenticator(tokenURL: base + "/identity/oauth/token", clientId: clientId,
                                             clientSecret: clientSecret, accessToken: accessToken, transport: transport,
                                             onRenewed: onTokenRenewed)
        session = RESTSession(transport: transport, authenticator: auth, errors: MarketoErrorDecoder())
        self.instanceURL = base
        self.policy = policy
    }

    /// From a profile's `Marketo` properties (`instanceUrl`) and credentials (`clientId`, `clientSecret`,
    /// `accessToken`); a new token from the identity service goes to `onTokenRenewed` (to be sealed
    /// into the profile, so later commands reuse it until Marketo says it expired).
    public init(properties: JSONValue?, credentials: JSONValue?, onTokenRenewed: @escaping @Sendable (String) async -> Void = { _ in })
        throws(ConnectorError) {
        guard let url = properties?["instanceUrl"]?.stringValue, url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .configuration(service: "Marketo", detail: "the profile needs connectorProfileProperties.Marketo.instanceUrl (an http or https URL)")
        }
        guard let id = credentials?["clientId"]?.stringValue, let secret = credentials?["clientSecret"]?.stringValue else {
            throw .authentication(service: "Marketo", detail: "the profile has no clientId and clientSecret")
        }
        self.init(instanceURL: url, clientId: id, clientSecret: secret, accessToken: credentials?["accessToken"]?.stringValue,
                  onTokenRenewed: onTokenRenewed)
    }

    public static let leads = "leads"
    public static let activities = "activities"

    /// Activities as `activities.json` returns them (attributes kept as JSON text).
    static let activityFields: [SaaSField] = [
        SaaSField(name: "id", label: "Activity ID", nativeType: "integer", type: .int),
        SaaSField(name: "marketoGUID", label: "Marketo GUID", nativeType: "string", type: .string),
        SaaSField(name: "leadId", label: "Lead ID", nativeType: "integer", type: .int),
        SaaSField(name: "activityDate", label: "Activity date", nativeType: "datetime", type: .timestamp),
        SaaSField(name: "activityTypeId", label: "Activity type ID", nativeType: "integer", type: .int),
        SaaSField(name: "campaignId", label: "Campaign ID", nativeType: "integer", type: .int),
        SaaSField(name: "primaryAttributeValueId", label: "Primary attribute value ID", nativeType: "integer", type: .int),
        SaaSField(name: "primaryAttributeValue", label: "Primary attribute value", nativeType: "string", type: .string),
        SaaSField(name: "attributes", label: "Attributes", nativeType: "array", type: .string),
    ]

    func call(_ path: String, _ query: [(String, String)]) -> HTTPCall {
        HTTPCall(url: HTTPCall.url(instanceURL + path, query: query), headers: [("Accept", "application/json")])
    }

    /// Leads and activities; the activity types are asked for first, so a profile Marketo refuses
    /// fails here as it would in a run.
    public func entities() async throws(ConnectorError) -> [SaaSEntity] {
        _ = try await activityTypeGroups()
        return [SaaSEntity(name: Self.leads, label: "Leads"), SaaSEntity(name: Self.activities, label: "Activities")]
    }

    public func fields(of entity: String) async throws(ConnectorError) -> [SaaSField] {
        switch entity {
        case Self.activities: return Self.activityFields
        case Self.leads:
            let page = try await page(call("/rest/v1/leads/describe.json", []))
            return (page.json["result"]?.arrayValue ?? []).compactMap { f in
                guard let name = f["rest"]?["name"]?.stringValue else { return nil }
                let native = f["dataType"]?.stringValue ?? "string"
                return SaaSField(name: name, label: f["displayName"]?.stringValue ?? name, nativeType: native, type: Self.type(native))
            }
        default:
            throw .configuration(service: "Marketo", detail: "object '\(entity)' is not one Flowline reads from Marketo (leads, activities)")
        }
    }

    static func type(_ native: String) -> FieldType {
        switch native {
        case "integer", "reference": return .int
        case "float", "currency", "percent": return .double
        case "boolean": return .bool
        case "datetime": return .timestamp
        case "date": return .date
        default: return .string
        }
    }

    /// One page, checked for Marketo's `success: false`: an invalid or expired token (601, 602)
    /// is renewed and the call sent once more; the rate and concurrency limits (606, 615) are
    /// waited out like a 429; any other code is the service's error.
    func page(_ call: HTTPCall) async throws(ConnectorError) -> FetchedPage {
        var renewed = false
        var attempt = 0
        while true {
            attempt += 1
            let page = try await session.json(call)
            guard page.json["success"]?.boolValue == false else { return page }
            let first = page.json["errors"]?.arrayValue?.first
            let code = first?["code"].flatMap { $0.stringValue ?? $0.numberValue.map { String(Int($0)) } } ?? "unknown"
            let message = first?["message"]?.stringValue ?? "the Marketo API refused the request"
            switch code {
            case "601", "602":
                if !renewed, try await session.authenticator.renew() {
                    renewed = true
                    continue
                }
                throw .authentication(service: "Marketo", detail: "\(code): \(message)")
            case "606", "615":
                guard attempt < policy.maxAttempts else {
                    throw .exhaustedRetries(service: "Marketo", url: call.displayURL, status: Int(code) ?? 0, attempts: attempt)
                }
                try? await Task.sleep(nanoseconds: UInt64(policy.delay(afterAttempt: attempt, retryAfter: nil) * 1e9))
            default:
                throw .api(service: "Marketo", status: page.reply.status, code: code, message: message)
            }
        }
    }

    /// Every lead partition's id, so `filterType=leadPartitionId` selects every lead.
    func partitionIds() async throws(ConnectorError) -> [String] {
        let page = try await page(call("/rest/v1/leads/partitions.json", []))
        let ids = (page.json["result"]?.arrayValue ?? []).compactMap { $0["id"]?.numberValue.map { String(Int($0)) } }
        return ids.isEmpty ? ["1"] : ids
    }

    /// Activity type ids in groups of ten, the most `activities.json` takes at once.
    func activityTypeGroups() async throws(ConnectorError) -> [[String]] {
        let page = try await page(call("/rest/v1/activities/types.json", []))
        let ids = (page.json["result"]?.arrayValue ?? []).compactMap { $0["id"]?.numberValue.map { String(Int($0)) } }
        return stride(from: 0, to: ids.count, by: 10).map { Array(ids[$0..<min($0 + 10, ids.count)]) }
    }

    /// A paging token for activities since `micros` (`activities/pagingtoken.json?sinceDatetime=`).
    func pagingToken(since micros: Int64) async throws(ConnectorError) -> String {
        // Whole seconds, rounded down, so nothing at the window's start is missed.
        let since = ValueFormat.timestampString(micros: micros - ((micros % 1_000_000) + 1_000_000) % 1_000_000)
        let page = try await page(call("/rest/v1/activities/pagingtoken.json", [("sinceDatetime", since)]))
        guard let token = page.json["nextPageToken"]?.stringValue else {
            throw .malformed(service: "Marketo", detail: "the paging token answer has no nextPageToken")
        }
        return token
    }
}

/// The identity service's client-credentials grant:
/// `GET /identity/oauth/token?grant_type=client_credentials&client_id=…&client_secret=…`.
final class MarketoTokenAuthenticator: Authenticator {
    let tokenURL: String
    let clientId: String
    let clientSecret: String
    let transport: HTTPTransport
    let onRenewed: @Sendable (String) async -> Void
    let token: Mutex<String?>

    init(tokenURL: String, clientId: String, clientSecret: String, accessToken: String?, transport: HTTPTransport,
         onRenewed: @escaping @Sendable (String) async -> Void) {
        self.tokenURL = tokenURL
        self.clientId = clientId
        self.clientSecret = clientSecret
        self.transport = transport
        self.onRenewed = onRenewed
        token = Mutex(accessToken.flatMap { $0.isEmpty ? nil : $0 })
    }

    func authorize(_ call: inout HTTPCall) async throws(ConnectorError) {
        var current = token.withLock { $0 }
        if current == nil {
            _ = try await renew()
            current = token.withLock { $0 }
        }
        call.set("Authorization", "Bearer \(current ?? "")")
    }

    func renew() async throws(ConnectorError) -> Bool {
        let url = HTTPCall.url(tokenURL, query: [("grant_type", "client_credentials"), ("client_id", clientId), ("client_secret", clientSecret)])
        let reply = try await transport.send(HTTPCall(url: url, headers: [("Accept", "application/json")]))
        let json = try? JSONDocument.parse(reply.body)
        guard reply.isSuccess, let fresh = json?["access_token"]?.stringValue else {
            let code = json?["error"]?.stringValue ?? "HTTP \(reply.status)"
            let message = json?["error_description"]?.stringValue ?? "the identity service gave no access token"
            throw .authentication(service: "Marketo", detail: "\(code): \(message)")
        }
        token.withLock { $0 = fresh }
        await onRenewed(fresh)
        return true
    }
}

/// Non-2xx replies: the identity service's `{"error", "error_description"}`, or Marketo's `errors` list.
struct MarketoErrorDecoder: ErrorDecoder {
    func error(for reply: HTTPReply, service: String) -> ConnectorError {
        let json = try? JSONDocument.parse(reply.body)
        if let code = json?["error"]?.stringValue {
            return .api(service: service, status: reply.status, code: code, message: json?["error_description"]?.stringValue ?? "")
        }
        if let first = json?["errors"]?.arrayValue?.first, let code = first["code"]?.stringValue {
            return .api(service: service, status: reply.status, code: code, message: first["message"]?.stringValue ?? "")
        }
        return PlainErrorDecoder().error(for: reply, service: service)
    }
}
