import Foundation

/// A `flowline serve` subprocess signed with the given access key, on a free loopback port and a
/// temporary home of its own; stopped with SIGTERM when released.
public final class ServeProcess: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only signals and waits for the child.
    public let cli: FlowlineCLI
    public let process: Process
    public let port: Int
    public let logFile: URL

    public struct StartFailure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(accessKeyId: String, secretAccessKey: String, arguments: [String] = [], environment: [String: String] = [:]) throws {
        cli = try FlowlineCLI(environment: environment.merging(["FLOWLINE_ACCESS_KEY_ID": accessKeyId,
                                                                "FLOWLINE_SECRET_ACCESS_KEY": secretAccessKey]) { $1 })
        logFile = cli.home.url.appendingPathComponent("serve.log")
        let outFile = cli.home.url.appendingPathComponent("serve.out")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: FlowlineCLI.binary)
        process.arguments = ["serve", "--port", "0", "--log-level", "notice"] + arguments
        process.environment = cli.environment
        // Files, not pipes: a pipe's write end inherited by another child would hide the server's exit.
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        // The server prints one line with its port once it listens.
        var text = ""
        for _ in 0..<600 where !text.contains("\n") && process.isRunning {
            usleep(50_000)
            text = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        }
        guard let portText = text.split(separator: "\n").first?.split(separator: ":").last, let port = Int(portText) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
            throw StartFailure(description: "flowline serve did not start: \(text) \(log)")
        }
        self.port = port
    }

    public var url: String { "http://127.0.0.1:\(port)" }
    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// SIGTERM, then wait for the process to end; returns its exit status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit { stop() }
}
