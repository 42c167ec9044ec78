import Foundation
import FlowlineAPI
import FlowlineService
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// Builds the `flowline serve` application: the REST-JSON API, the background run manager, the
/// scheduler and webhook delivery, all in one service group with graceful shutdown (SIGTERM/SIGINT
/// through `runService()`). `onListening` gets the bound port (useful with port 0).
public func buildApplication(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "flowline.server"),
                             onListening: @escaping @Sendable (Int) -> Void = { _ in }) throws(ServerSetupError) -> some ApplicationProtocol {
    // Plain HTTP only on loopback, unless asked for: the API's bodies carry credentials.
    if configuration.tls == nil, !configuration.allowInsecureHTTP, !ServerConfiguration.isLoopback(configuration.host) {
        throw .insecureBind(host: configuration.host)
    }
    let server = try httpServer(configuration)
    // Blocking work (SQLite, files, libpq) of handlers, runs and the scheduler runs here, never
    // on the cooperative pool.
    let blocking = BlockingWorkExecutor(threads: configuration.blockingThreads)
    let metrics = ServerMetrics()
    let eventsLog = EventsLog(url: configuration.eventsLog)
    let webhooks = WebhookDelivery(urls: configuration.webhooks, attempts: configuration.webhookAttempts,
                                   logger: Logger(label: "flowline.webhooks"))
    let account = configuration.service.account
    let notificationLogger = Logger(label: "flowline.events")
    // The run manager has its own service (and store connection) for the runs' bookkeeping; the
    // API's service is given the run manager as its run launcher, so start-flow queues runs.
    let runService: AppFlowService, service: AppFlowService
    let runs: RunManager
    do {
        runService = try AppFlowService(configuration: configuration.service)
    } catch {
        throw .service(error.message)
    }
    runs = RunManager(service: runService, maxConcurrentRuns: configuration.maxConcurrentRuns,
                      shutdownGrace: configuration.shutdownGrace, executor: blocking,
                      logger: Logger(label: "flowline.runs")) { event in
        metrics.record(event)
        let line = event.json(account: account).serialized()
        do {
            try eventsLog.append(line)
        } catch {
            notificationLogger.error("Appending to the events log failed", metadata: ["path": "\(eventsLog.url.path)"])
        }
        webhooks.enqueue(line)
    }
    do {
        var apiConfiguration = configuration.service
        apiConfiguration.runLauncher = runs
        service = try AppFlowService(configuration: apiConfiguration)
    } catch {
        throw .service(error.message)
    }
    let scheduler = FlowScheduler(runs: runs, clock: SchedulerClock(speed: configuration.schedulerSpeed),
                                  tickInterval: configuration.schedulerTick, executor: blocking,
                                  logger: Logger(label: "flowline.scheduler"))
    let sessions = ConsoleSessions()
    let responder = APIResponder(service: service, runs: runs, executor: blocking,
                                 verifier: configuration.accessKey.map { SigV4Verifier(key: $0) },
                                 localOnly: configuration.accessKey == nil ? LocalOnlyGuard() : nil,
                                 requestTimeout: configuration.requestTimeout, metrics: metrics,
                                 consoleSessionCount: { sessions.count }, logger: logger)
    // The group stops services in reverse order after the HTTP server: the scheduler first, then
    // the runs drain, then the queued webhooks are delivered.
    let background: [any Service] = [webhooks, RunManagerService(runs: runs), SchedulerService(scheduler: scheduler)]
    return Application(
        // The web console at /console, then the API.
        responder: ConsoleResponder(api: responder, accessKey: configuration.accessKey, sessions: sessions,
                                    secureCookies: configuration.tls != nil),
        server: server,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Flowline",
                             availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
        services: background,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.info("Listening", metadata: ["host": "\(configuration.host)", "port": "\(port)",
                                                "auth": "\(configuration.accessKey == nil ? "off" : "SigV4")",
                                                "tls": "\(configuration.tls == nil ? "off" : "on")"])
            onListening(port)
        },
        logger: logger)
}

/// HTTP/1.1 with an idle timeout (a connection whose request does not arrive is closed), over TLS
/// when certificate files are given.
private func httpServer(_ configuration: ServerConfiguration) throws(ServerSetupError) -> HTTPServerBuilder {
    let timeout = configuration.requestTimeout.components
    let idle = TimeAmount.nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000)
    let http1 = HTTPServerBuilder.http1(configuration: .init(idleTimeout: idle))
    guard let files = configuration.tls else { return http1 }
    let chain: [NIOSSLCertificate]
    do {
        chain = try NIOSSLCertificate.fromPEMFile(files.certificateChain)
    } catch {
        throw .tls(path: files.certificateChain, reason: "it is not a PEM certificate chain (\(error))")
    }
    guard !chain.isEmpty else { throw .tls(path: files.certificateChain, reason: "it holds no certificate") }
    let key: NIOSSLPrivateKey
    do {
        key = try NIOSSLPrivateKey(file: files.privateKey, format: .pem)
    } catch {
        throw .tls(path: files.privateKey, reason: "it is not a PEM private key (\(error))")
    }
    var tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    tls.minimumTLSVersion = .tlsv12
    do {
        return try .tls(http1, tlsConfiguration: tls)
    } catch {
        throw .tls(path: files.privateKey, reason: "the key does not go with the certificate in \(files.certificateChain) (\(error))")
    }
}

/// Runs the run manager until graceful shutdown, then lets it drain.
struct RunManagerService: Service {
    let runs: RunManager

    func run() async throws {
        await withGracefulShutdownHandler {
            await runs.run()
        } onGracefulShutdown: {
            runs.beginShutdown()
        }
    }
}

/// Ticks the scheduler until graceful shutdown.
struct SchedulerService: Service {
    let scheduler: FlowScheduler

    func run() async throws {
        // The scheduler's loop ends when its task is cancelled, which graceful shutdown does.
        await cancelWhenGracefulShutdown {
            await scheduler.run()
        }
    }
}
