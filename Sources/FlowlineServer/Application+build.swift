import Foundation
import FlowlineAPI
import FlowlineService
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the `flowline serve` application: the REST-JSON API, the background run manager, the
/// scheduler and webhook delivery, all in one service group with graceful shutdown (SIGTERM/SIGINT
/// through `runService()`). `onListening` gets the bound port (useful with port 0).
public func buildApplication(_ configuration: ServerConfiguration, logger: Logger = Logger(label: "flowline.server"),
                             onListening: @escaping @Sendable (Int) -> Void = { _ in }) throws(ServerSetupError) -> some ApplicationProtocol {
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
    let responder = APIResponder(service: service, runs: runs, executor: blocking,
                                 verifier: configuration.accessKey.map { SigV4Verifier(key: $0) },
                                 metrics: metrics, logger: logger)
    // The group stops services in reverse order after the HTTP server: the scheduler first, then
    // the runs drain, then the queued webhooks are delivered.
    let background: [any Service] = [webhooks, RunManagerService(runs: runs), SchedulerService(scheduler: scheduler)]
    return Application(
        responder: ConsoleResponder(api: responder, accessKey: configuration.accessKey),  // the web console at /console
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Flowline"),
        services: background,
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            logger.info("Listening", metadata: ["host": "\(configuration.host)", "port": "\(port)",
                                                "auth": "\(configuration.accessKey == nil ? "off" : "SigV4")"])
            onListening(port)
        },
        logger: logger)
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
