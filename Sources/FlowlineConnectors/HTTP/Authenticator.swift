import FlowlineAPI
import Foundation
import Synchronization

/// Adds credentials to calls, and renews them when the service says they expired.
public protocol Authenticator: Sendable {
    func authorize(_ call: inout HTTPCall) async throws(ConnectorError)
    /// Called after a 401. Returns true when fresh credentials were obtained, so the call may be
    /// sent once more; false when there is nothing to renew.
    func renew() async throws(ConnectorError) -> Bool
}

/// A fixed bearer token (Slack bot tokens, Zendesk OAuth tokens, Marketo access tokens).
public struct BearerAuthenticator: Authenticator {
    let token: String
    public init(token: String) { self.token = token }
    public func authorize(_ call: inout HTTPCall) async throws(ConnectorError) { call.set("Authorization", "Bearer \(token)") }
    public func renew() async throws(ConnectorError) -> Bool { false }
}

/// HTTP basic authentication (ServiceNow, SAP OData).
public struct BasicAuthenticator: Authenticator {
    let header: String
    public init(username: String, password: String) {
        header = "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
    public func authorize(_ call: inout HTTPCall) async throws(ConnectorError) { call.set("Authorization", header) }
    public func renew() async throws(ConnectorError) -> Bool { false }
}

/// An OAuth 2 access token renewed with a refresh token at the token endpoint
/// (`grant_type=refresh_token`), as Salesforce and ServiceNow issue them.
/// A renewed token is handed to `onRenewed` so it can be stored (sealed) for later runs.
public final class OAuthRefreshAuthenticator: Authenticator {
    public struct Grant: Sendable {
        public var tokenURL: String
        public var refreshToken: String?
        public var clientId: String?
        public var clientSecret: String?
        public init(tokenURL: String, refreshToken: String?, clientId: String? = nil, clientSecret: String? = nil) {
            self.tokenURL = tokenURL
            self.refreshToken = refreshToken
            self.clientId = clientId
            self.clientSecret = clientSecret
        }
    }

    let grant: Grant
    let transport: HTTPTransport
    let onRenewed: @Sendable (String) async -> Void
    let state: Mutex<(token: String?, generation: Int)>

    public init(accessToken: String?, grant: Grant, transport: HTTPTransport, onRenewed: @escaping @Sendable (String) async -> Void) {
        self.grant = grant
        self.transport = transport
        self.onRenewed = onRenewed
        state = Mutex((accessToken, 0))
    }

    public func authorize(_ call: inout HTTPCall) async throws(ConnectorError) {
        var token = state.withLock { $0.token }
        if token == nil {
            guard try await renew() else {
                throw .authentication(service: transport.service, detail: "the profile has neither an access token nor a refresh token")
            }
            token = state.withLock { $0.token }
        }
        call.set("Authorization", "Bearer \(token ?? "")")
    }

    public func renew() async throws(ConnectorError) -> Bool {
        guard let refreshToken = grant.refreshToken, !refreshToken.isEmpty else { return false }
        let before = state.withLock { $0.generation }
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if let id = grant.clientId { form.append(("client_id", id)) }
        if let secret = grant.clientSecret { form.append(("client_secret", secret)) }
        let call = HTTPCall(.POST, url: grant.tokenURL,
                            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
                            body: HTTPCall.form(form))
        let reply = try await transport.send(call)
        let json = try? JSONDocument.parse(reply.body)
        guard reply.isSuccess else { throw Self.refusal(reply, json: json, service: transport.service) }
        guard let token = json?["access_token"]?.stringValue else {
            throw .malformed(service: transport.service, detail: "the token endpoint's answer has no access_token")
        }
        // Another page's request may have renewed meanwhile; keep one generation per renewal.
        state.withLock { s in
            if s.generation == before { s.token = token; s.generation += 1 } else { s.token = token }
        }
        await onRenewed(token)
        return true
    }

    /// A token endpoint's refusal. RFC 6749's grant and client errors (`invalid_grant`: the refresh
    /// token expired or was revoked; `invalid_client`, `unauthorized_client`: the connected app's
    /// id or secret) and any other 4xx mean the credentials are wrong, and no retry can help; a
    /// 5xx the transport did not retry away is the service's own error.
    static func refusal(_ reply: HTTPReply, json: JSONValue?, service: String) -> ConnectorError {
        let code = json?["error"]?.stringValue
        let message = json?["error_description"]?.stringValue ?? "the token endpoint refused the refresh token"
        let credentialCodes: Set<String> = ["invalid_grant", "invalid_client", "unauthorized_client", "invalid_request"]
        if code.map(credentialCodes.contains) ?? false || (400..<500).contains(reply.status) {
            return .authentication(service: service, detail: "renewing the access token failed: \(code ?? "HTTP \(reply.status)"): \(message)")
        }
        return .api(service: service, status: reply.status, code: code ?? "HTTP \(reply.status)",
                    message: "renewing the access token failed: \(message)")
    }
}
