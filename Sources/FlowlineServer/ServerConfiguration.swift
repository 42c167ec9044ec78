import Foundation
import FlowlineService

/// Everything `flowline serve` is told: where to listen, whom to trust, how many runs at once,
/// where to send notifications.
public struct ServerConfiguration: Sendable {
    public var service: ServiceConfiguration
    public var host: String
    /// 0 picks a free port; the server prints the one it bound.
    public var port: Int
    /// nil turns SigV4 off (`--no-auth`, for local development only).
    public var accessKey: AccessKey?
    public var maxConcurrentRuns: Int
    public var webhooks: [URL]
    /// How often the scheduler looks for due flows.
    public var schedulerTick: Duration
    /// >1 makes scheduled time pass faster (tests and demos).
    public var schedulerSpeed: Double
    /// How long shutdown waits for runs in flight before asking them to cancel.
    public var shutdownGrace: Duration
    /// The JSON-lines file every run event is appended to.
    public var eventsLog: URL
    public var webhookAttempts: Int
    /// Threads for blocking work (store, files, libpq) of requests, runs and the scheduler.
    public var blockingThreads: Int

    public init(service: ServiceConfiguration, host: String = "127.0.0.1", port: Int = 8080, accessKey: AccessKey?,
                maxConcurrentRuns: Int = 4, webhooks: [URL] = [], schedulerTick: Duration = .seconds(1),
                schedulerSpeed: Double = 1, shutdownGrace: Duration = .seconds(30), eventsLog: URL? = nil,
                webhookAttempts: Int = 4, blockingThreads: Int = 16) {
        self.service = service
        self.host = host
        self.port = port
        self.accessKey = accessKey
        self.maxConcurrentRuns = maxConcurrentRuns
        self.webhooks = webhooks
        self.schedulerTick = schedulerTick
        self.schedulerSpeed = schedulerSpeed
        self.shutdownGrace = shutdownGrace
        self.eventsLog = eventsLog ?? service.home.url.appendingPathComponent("events.jsonl")
        self.webhookAttempts = webhookAttempts
        self.blockingThreads = blockingThreads
    }
}
