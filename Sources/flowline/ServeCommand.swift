import ArgumentParser
import Foundation
import FlowlineServer
import FlowlineService
import Logging

/// `flowline serve`: the AppFlow REST-JSON API for boto3 and the AWS CLI, with background runs,
/// the scheduler, change-event intake and notifications. Only parses arguments; the application
/// is built by `buildApplication` in FlowlineServer.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the AppFlow API over HTTP (boto3, aws appflow --endpoint-url), run scheduled and event flows.",
        discussion: """
            Requests must be signed with AWS Signature Version 4 (service appflow) by the access key in \
            FLOWLINE_ACCESS_KEY_ID / FLOWLINE_SECRET_ACCESS_KEY or in $FLOWLINE_HOME/credentials. \
            Stops gracefully on SIGTERM or SIGINT: no new requests; runs in flight may finish within \
            --shutdown-grace, then they are canceled (recorded Canceled, nothing they wrote is published). \
            Change events posted to /events/salesforce/<flow> start a run of that Event flow carrying \
            exactly the changed records. Plain HTTP is served on loopback only: elsewhere give --tls-cert and \
            --tls-key (or --insecure-http when a proxy in front encrypts the traffic).
            """)

    @Option(help: "The address to listen on (other than loopback only with --tls-cert/--tls-key, or --insecure-http).") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port; the bound port is printed).") var port = 8080
    @Flag(name: .customLong("no-auth"),
          help: "Accept unsigned requests (local development only): only for a loopback Host, JSON bodies, no browser Origin.")
    var noAuth = false
    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (with --tls-key).") var tlsCert: String?
    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.") var tlsKey: String?
    @Flag(name: .customLong("insecure-http"),
          help: "Allow plain HTTP on an address other than loopback (when something else, e.g. a proxy, encrypts the traffic).")
    var insecureHTTP = false
    @Option(name: .customLong("request-timeout"),
            help: "Seconds a connection may stay idle, and a request's body may take to arrive.") var requestTimeout = 30.0
    @Option(name: .customLong("max-connections"), help: "Connections served at once; more wait to be accepted.") var maxConnections = 256
    @Option(name: .customLong("max-concurrent-runs"), help: "How many flows may run at once.") var maxConcurrentRuns = 4
    @Option(name: .customLong("webhook"), help: "A URL every run event is POSTed to (repeatable).") var webhooks: [String] = []
    @Option(name: .customLong("scheduler-tick"), help: "Seconds between the scheduler's looks for due flows.") var schedulerTick = 1.0
    @Option(name: .customLong("scheduler-speed"),
            help: "Make scheduled time pass this many times faster than the wall clock (testing and demos; 60 = a minute per second).")
    var schedulerSpeed = 1.0
    @Option(name: .customLong("shutdown-grace"), help: "Seconds shutdown waits for runs in flight before canceling them.")
    var shutdownGrace = 30.0
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535") }
        guard maxConcurrentRuns >= 1 else { throw ValidationError("--max-concurrent-runs must be at least 1") }
        guard schedulerTick > 0, schedulerSpeed >= 1, shutdownGrace >= 0 else {
            throw ValidationError("--scheduler-tick must be positive, --scheduler-speed at least 1, --shutdown-grace not negative")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        guard (tlsCert == nil) == (tlsKey == nil) else { throw ValidationError("--tls-cert and --tls-key go together") }
        guard requestTimeout > 0, maxConnections >= 1 else {
            throw ValidationError("--request-timeout must be positive and --max-connections at least 1")
        }
        for hook in webhooks where URL(string: hook)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            throw ValidationError("--webhook \(hook) is not an http(s) URL")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let service = ServiceConfiguration.fromEnvironment()
        do {
            let key = try AccessKey.load(environment: ProcessInfo.processInfo.environment, home: service.home.url)
            if key == nil && !noAuth { throw ServerSetupError.noAccessKey }
            let configuration = ServerConfiguration(
                service: service, host: host, port: port, accessKey: noAuth ? nil : key,
                maxConcurrentRuns: maxConcurrentRuns, webhooks: webhooks.compactMap(URL.init(string:)),
                schedulerTick: .milliseconds(Int64(schedulerTick * 1000)), schedulerSpeed: schedulerSpeed,
                shutdownGrace: .milliseconds(Int64(shutdownGrace * 1000)),
                tls: tlsCert.map { ServerConfiguration.TLSFiles(certificateChain: $0, privateKey: tlsKey ?? "") },
                allowInsecureHTTP: insecureHTTP, requestTimeout: .milliseconds(Int64(requestTimeout * 1000)),
                maxConnections: maxConnections)
            let scheme = tlsCert == nil ? "http" : "https"
            let app = try buildApplication(configuration) { port in
                // One line on stdout so scripts and tests learn the port (useful with --port 0).
                FileHandle.standardOutput.write(Data("flowline serve listening on \(scheme)://\(host):\(port)\n".utf8))
            }
            try await app.runService()
        } catch let error as ServerSetupError {
            FileHandle.standardError.write(Data("flowline serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
