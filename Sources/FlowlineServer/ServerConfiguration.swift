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
    /// The certificate chain and private key to serve HTTPS with; nil serves plain HTTP.
    public var tls: TLSFiles?
    /// Serving plain HTTP on an address other than loopback must be asked for (`--insecure-http`).
    public var allowInsecureHTTP: Bool
    /// How long a connection may sit idle, and how long a request may take to arrive (headers
    /// and body): slow clients cannot hold connections open.
    public var requestTimeout: Duration
    /// Connections served at once; further ones wait in the listen backlog.
    public var maxConnections: Int

    public init(service: ServiceConfiguration, host: String = "127.0.0.1", port: Int = 8080, accessKey: AccessKey?,
                maxConcurrentRuns: Int = 4, webhooks: [URL] = [], schedulerTick: Duration = .seconds(1),
                schedulerSpeed: Double = 1, shutdownGrace: Duration = .seconds(30), eventsLog: URL? = nil,
                webhookAttempts: Int = 4, blockingThreads: Int = 16, tls: TLSFiles? = nil, allowInsecureHTTP: Bool = false,
                requestTimeout: Duration = .seconds(30), maxConnections: Int = 256) {
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
        self.tls = tls
        self.allowInsecureHTTP = allowInsecureHTTP
        self.requestTimeout = requestTimeout
        self.maxConnections = maxConnections
    }

    /// PEM files for `--tls-cert` and `--tls-key`.
    public struct TLSFiles: Sendable, Equatable {
        public var certificateChain: String
        public var privateKey: String

        public init(certificateChain: String, privateKey: String) {
            self.certificateChain = certificateChain
            self.privateKey = privateKey
        }
    }

    /// Whether `host` names this machine only (`127.0.0.0/8`, `::1`, `localhost`): what may be
    /// served without TLS, and what a `--no-auth` server answers to.
    public static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name.hasSuffix(".localhost") || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }
}
