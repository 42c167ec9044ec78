import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends calls on one process-wide `HTTPClient` (one connection pool, TLS for https, and no
/// shutdown to forget). Retries 429 and 5xx replies, timeouts and dropped connections with
/// backoff, all within the policy's budget per call; a failure that retrying cannot fix (DNS,
/// a refused connection, TLS) ends the call at once.
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

    /// Told about each retry the calls of the current task make (the CLI shows them on a
    /// terminal while it waits); nil by default.
    @TaskLocal public static var retryObserver: (@Sendable (RetryNotice) -> Void)?

    /// The reply to `call`: any status except the retryable ones, which are tried again while
    /// attempts and budget last.
    public func send(_ call: HTTPCall) async throws(ConnectorError) -> HTTPReply {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(policy.budget)
        var attempt = 0
        while true {
            attempt += 1
            let remaining = deadline - clock.now
            let reply: HTTPReply
            do {
                reply = try await once(call, timeout: remaining)
            } catch {
                if error is CancellationError || Task.isCancelled {
                    throw .unreachable(service: service, url: call.displayURL, failure: .other("the call was canceled"), attempts: attempt)
                }
                var failure = ConnectionFailure(error, url: call.url)
                if case .timedOut = failure, clock.now >= deadline {
                    failure = .timedOut("no answer within \(Self.seconds(policy.budget)) seconds, the budget of one call (FLOWLINE_HTTP_TIMEOUT)")
                }
                let wait = policy.delay(afterAttempt: attempt, retryAfter: nil)
                guard !failure.isPermanent, attempt < policy.maxAttempts, clock.now + .seconds(wait) < deadline else {
                    throw .unreachable(service: service, url: call.displayURL, failure: failure, attempts: attempt)
                }
                await pause(wait, RetryNotice(service: service, url: call.displayURL, reason: "\(failure)",
                                              attempt: attempt, maxAttempts: policy.maxAttempts, wait: wait))
                continue
            }
            guard policy.isRetryable(status: reply.status) else { return reply }
            let wait = policy.delay(afterAttempt: attempt, retryAfter: reply.headers.first(name: "Retry-After"))
            guard attempt < policy.maxAttempts, clock.now + .seconds(wait) < deadline else {
                throw .exhaustedRetries(service: service, url: call.displayURL, status: reply.status, attempts: attempt)
            }
            await pause(wait, RetryNotice(service: service, url: call.displayURL, reason: "HTTP \(reply.status)",
                                          attempt: attempt, maxAttempts: policy.maxAttempts, wait: wait))
        }
    }

    private func once(_ call: HTTPCall, timeout: Duration) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: call.url)
        request.method = call.method
        for (name, value) in call.headers { request.headers.add(name: name, value: value) }
        if let body = call.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = max(seconds * 1_000_000_000 + attoseconds / 1_000_000_000, 1)
        let response = try await Self.client.execute(request, timeout: .nanoseconds(nanoseconds))
        let body = try await response.body.collect(upTo: maxBodyBytes)
        return HTTPReply(status: Int(response.status.code), headers: response.headers, body: body)
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }

    private func pause(_ seconds: Double, _ notice: RetryNotice) async {
        Self.retryObserver?(notice)
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }

    /// The connectors' client: the shared client's settings, except that a connection that
    /// cannot be made fails the request at once (the pool would otherwise retry connecting until
    /// the request's deadline, hiding a DNS failure behind a minute-long wait) and connecting
    /// gives up after 10 seconds. Never shut down: it lives as long as the process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}

/// One retry about to happen, for progress displays.
public struct RetryNotice: Sendable {
    public var service: String
    public var url: String
    /// What the last attempt got: `HTTP 503`, or the connection failure.
    public var reason: String
    public var attempt: Int
    public var maxAttempts: Int
    /// Seconds until the next attempt.
    public var wait: Double
}
