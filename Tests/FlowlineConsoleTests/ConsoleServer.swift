import Foundation
import FlowlineTestSupport

/// A `flowline serve` subprocess with an access key, on a free loopback port and its own home,
/// stopped with SIGTERM when released.
final class ConsoleServer: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only signals and waits for the child.
    static let accessKeyId = "AKIACONSOLETEST"
    static let secretAccessKey = "console-test-secret-key"

    let cli: FlowlineCLI
    let process: Process
    let port: Int
    let logFile: URL
    var url: String { "http://127.0.0.1:\(port)" }

    init() throws {
        cli = try FlowlineCLI(environment: ["FLOWLINE_ACCESS_KEY_ID": Self.accessKeyId,
                                            "FLOWLINE_SECRET_ACCESS_KEY": Self.secretAccessKey])
        logFile = cli.home.url.appendingPathComponent("serve.log")
        let outFile = cli.home.url.appendingPathComponent("serve.out")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        FileManager.default.createFile(atPath: outFile.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: FlowlineCLI.binary)
        process.arguments = ["serve", "--port", "0", "--log-level", "notice"]
        process.environment = cli.environment
        // Files, not pipes: a pipe inherited by another child would hide the server's exit.
        process.standardOutput = try FileHandle(forWritingTo: outFile)
        process.standardError = try FileHandle(forWritingTo: logFile)
        try process.run()
        var text = ""
        for _ in 0..<600 where !text.contains("\n") && process.isRunning {
            usleep(50_000)
            text = (try? String(contentsOf: outFile, encoding: .utf8)) ?? ""
        }
        guard let portText = text.split(separator: "\n").first?.split(separator: ":").last, let port = Int(portText) else {
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            throw ConsoleTestFailure("flowline serve did not start: \(text) \((try? String(contentsOf: logFile, encoding: .utf8)) ?? "")")
        }
        self.port = port
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    /// Runs one of the Python scripts beside this file with the server's address and key in its environment.
    func runScript(_ name: String, environment extra: [String: String] = [:]) throws -> [String: Any] {
        var environment = ProcessInfo.processInfo.environment
        environment["CONSOLE_URL"] = url
        environment["ACCESS_KEY_ID"] = Self.accessKeyId
        environment["SECRET_ACCESS_KEY"] = Self.secretAccessKey
        for (key, value) in extra { environment[key] = value }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("browser/\(name)").path
        let result = try Subprocess.run(Subprocess.which("python3") ?? "/usr/bin/python3", [script], environment: environment)
        guard result.status == 0 else {
            throw ConsoleTestFailure("\(name) failed (\(result.status)):\n\(result.stderr)\nserver log:\n\(log)")
        }
        let line = result.stdout.split(separator: "\n").last.map(String.init) ?? "{}"
        return try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
    }
}

struct ConsoleTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where the browser test leaves its screenshots: `$FLOWLINE_TEST_ARTIFACTS/console`, else
/// `.build/test-artifacts/console` in the package.
enum TestArtifacts {
    static func directory(_ name: String) throws -> URL {
        let base: URL
        if let configured = ProcessInfo.processInfo.environment["FLOWLINE_TEST_ARTIFACTS"], !configured.isEmpty {
            base = URL(fileURLWithPath: configured)
        } else {
            let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            base = package.appendingPathComponent(".build/test-artifacts")
        }
        let directory = base.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: directory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}
