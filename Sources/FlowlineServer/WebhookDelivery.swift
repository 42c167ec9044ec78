import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle

/// POSTs each event to every configured webhook, retrying with backoff, in the background so a
/// slow receiver never holds up a run. On shutdown it delivers what is queued, then stops.
final class WebhookDelivery: Service, @unchecked Sendable {
    // @unchecked: immutable after init; the stream continuation is thread-safe.
    let urls: [URL]
    let attempts: Int
    private let logger: Logger
    private let queue: AsyncStream<Data>
    private let intake: AsyncStream<Data>.Continuation
    private let session: URLSession

    init(urls: [URL], attempts: Int, logger: Logger) {
        self.urls = urls
        self.attempts = max(1, attempts)
        self.logger = logger
        (queue, intake) = AsyncStream.makeStream(of: Data.self)
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 10
        session = URLSession(configuration: config)
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

    private func deliver(_ body: Data, to url: URL) async {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = body
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for attempt in 1...attempts {
            do {
                let (_, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if (200..<300).contains(status) { return }
                logger.warning("Webhook refused the event", metadata: ["url": "\(url.host ?? "")", "status": "\(status)", "attempt": "\(attempt)"])
            } catch {
                logger.warning("Webhook unreachable", metadata: ["url": "\(url.host ?? "")", "attempt": "\(attempt)", "error": "\(error.localizedDescription)"])
            }
            if attempt < attempts {
                try? await Task.sleep(for: .milliseconds(250 << min(attempt - 1, 5)))
            }
        }
        logger.error("Webhook delivery gave up", metadata: ["url": "\(url.host ?? "")", "attempts": "\(attempts)"])
    }
}
