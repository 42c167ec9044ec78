import FlowlineAPI
import Foundation

/// A connector's conversation with its service: authorizes each call, renews an expired token
/// once on 401, retries what the transport retries, and turns error replies into `ConnectorError`.
public struct RESTSession: Sendable {
    public var transport: HTTPTransport
    public var authenticator: any Authenticator
    public var errors: any ErrorDecoder
    public var service: String { transport.service }

    public init(transport: HTTPTransport, authenticator: any Authenticator, errors: any ErrorDecoder) {
        self.transport = transport
        self.authenticator = authenticator
        self.errors = errors
    }

    /// The reply to `call`, successful (2xx), or a thrown error.
    public func send(_ call: HTTPCall) async throws(ConnectorError) -> HTTPReply {
        var renewed = false
        while true {
            var authorized = call
            try await authenticator.authorize(&authorized)
            let reply = try await transport.send(authorized)
            if reply.isSuccess { return reply }
            if reply.status == 401 {
                if !renewed, try await authenticator.renew() {
                    renewed = true
                    continue
                }
                let error = errors.error(for: reply, service: service)
                if case .api(_, _, let code, let message) = error {
                    throw .authentication(service: service, detail: "\(code): \(message)")
                }
                throw error
            }
            throw errors.error(for: reply, service: service)
        }
    }

    /// The reply to `call` parsed as JSON.
    public func json(_ call: HTTPCall) async throws(ConnectorError) -> FetchedPage {
        let reply = try await send(call)
        do {
            return FetchedPage(call: call, reply: reply, json: try JSONDocument.parse(reply.body))
        } catch {
            throw .malformed(service: service, detail: "the reply from \(call.displayURL) is not JSON")
        }
    }
}
