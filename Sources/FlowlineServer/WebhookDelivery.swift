import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// POSTs each event to every configured webhook on AsyncHTTPClient, in the background so a slow
/// receiver never holds up a run. Each attempt has a deadline (`timeout`); an unreachable
/// receiver, a timeout, a 429 or a 5xx is retried with exponential backoff up to `attempts`
/// times in all; any other answer is final (a 4xx will not change by sending again). On shutdown
/// it delivers what is queued, then stops.
final class WebhookDelivery: Service, @unchecked Sendable {
    // @unchecked: immutable after init; the stream continuation is thread-safe.
    let urls: [URL]
    let attempts: Int
    let timeout: TimeAmount
    private let logger: Logger
    private let queue: AsyncStream<Data>
    private let intake: AsyncStream<Data>.Continuation

    init(urls: [URL], attempts: Int, timeout: Duration = .seconds(10), logger: Logger) {
        self.urls = urls
        self.attempts = max(1, attempts)
        let parts = timeout.components
        self.timeout = .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
        self.logger = logger
        (queue, intake) = AsyncStream.makeStream(of: Data.self)
    }

    func enqueue(_ body: Data) {
        guard !urls.isEmpty else { return }
        intake.yield(body)
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await body in queue {
                for url in urls { await deliver(body, to: url) }
            }
        } onGracefulShutdown: {
            self.intake.finish()
        }
    }

    /// Whether the attempt should be made again.
    private enum Verdict { case delivered, retry, refused }

    private func deliver(_ body: Data, to url: URL) async {
        let host = url.host ?? ""
        for attempt in 1...attempts {
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "User-Agent", value: "flowline-webhooks")
            request.body = .bytes(ByteBuffer(bytes: body))
            let verdict: Verdict
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                // Read (and drop) the answer so the connection goes back to the pool.
                _ = try? await response.body.collect(upTo: 64 << 10)
                let status = Int(response.status.code)
                switch status {
                case 200..<300: verdict = .delivered
                case 429, 500...: verdict = .retry
                default: verdict = .refused
                }
                if verdict != .delivered {
                    logger.warning("Webhook refused the event", metadata: ["host": "\(host)", "status": "\(status)", "attempt": "\(attempt)"])
                }
            } catch {
                verdict = .retry
                logger.warning("Webhook unreachable", metadata: ["host": "\(host)", "attempt": "\(attempt)", "error": "\(error)"])
            }
            switch verdict {
            case .delivered: return
            case .refused:
                logger.error("Webhook delivery gave up: the receiver refused the event", metadata: ["host": "\(host)"])
                return
            case .retry where attempt < attempts:
                try? await Task.sleep(for: .milliseconds(250 << min(attempt - 1, 5)))
            case .retry:
                break
            }
        }
        logger.error("Webhook delivery gave up", metadata: ["host": "\(host)", "attempts": "\(attempts)"])
    }
}
