import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends calls on the process-wide `HTTPClient` (one connection pool, TLS for https, and no
/// shutdown to forget), retrying 429 and 5xx replies and dropped connections with backoff.
public struct HTTPTransport: Sendable {
    public var service: String
    public var policy: RetryPolicy
    /// Largest response body read into memory.
    public var maxBodyBytes: Int

    public init(service: String, policy: RetryPolicy = .standard, maxBodyBytes: Int = 256 << 20) {
        self.service = service
        self.policy = policy
        self.maxBodyBytes = maxBodyBytes
    }

    /// The reply to `call`: any status except the retryable ones, which are tried again until the
    /// policy's attempts run out.
    public func send(_ call: HTTPCall) async throws(ConnectorError) -> HTTPReply {
        var attempt = 0
        while true {
            attempt += 1
            let reply: HTTPReply
            do {
                reply = try await once(call)
            } catch let error as ConnectorError {
                throw error
            } catch {
                // The connection pool itself retries failed connects until the deadline: no second round.
                guard attempt < policy.maxAttempts, !(error is CancellationError), !Self.isConnectFailure(error) else {
                    throw .unreachable(service: service, url: call.displayURL, reason: Self.reason(error))
                }
                await pause(policy.delay(afterAttempt: attempt, retryAfter: nil))
                continue
            }
            guard policy.isRetryable(status: reply.status) else { return reply }
            guard attempt < policy.maxAttempts else {
                throw .exhaustedRetries(service: service, url: call.displayURL, status: reply.status, attempts: attempt)
            }
            await pause(policy.delay(afterAttempt: attempt, retryAfter: reply.headers.first(name: "Retry-After")))
        }
    }

    private func once(_ call: HTTPCall) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: call.url)
        request.method = call.method
        for (name, value) in call.headers { request.headers.add(name: name, value: value) }
        if let body = call.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .milliseconds(Int64(policy.timeout * 1000)))
        let body = try await response.body.collect(upTo: maxBodyBytes)
        return HTTPReply(status: Int(response.status.code), headers: response.headers, body: body)
    }

    private func pause(_ seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }

    static func isConnectFailure(_ error: Error) -> Bool {
        if let e = error as? HTTPClientError, e == .connectTimeout || e == .deadlineExceeded { return true }
        let text = "\(error)"
        return text.contains("refused") || text.contains("NIOConnectionError") || text.contains("connectTimeout")
    }

    /// A short, secret-free reason for a failed connection.
    static func reason(_ error: Error) -> String {
        if let e = error as? HTTPClientError {
            switch e {
            case .connectTimeout: return "the connection timed out"
            case .deadlineExceeded, .readTimeout: return "the request timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return "\(e)"
            }
        }
        let text = "\(error)"
        if text.contains("refused") || text.contains("ECONNREFUSED") { return "connection refused" }
        return text
    }
}
