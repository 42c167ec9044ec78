import Foundation
import FlowlineTestSupport

/// A `flowline serve` subprocess (FlowlineTestSupport's ServeProcess) with the console's access key.
final class ConsoleServer: @unchecked Sendable {
    // @unchecked: immutable after init.
    static let accessKeyId = "AKIACONSOLETEST"
    static let secretAccessKey = "console-test-secret-key"

    let serve: ServeProcess
    var cli: FlowlineCLI { serve.cli }
    var port: Int { serve.port }
    var logFile: URL { serve.logFile }
    var url: String { serve.url }
    var log: String { serve.log }

    /// `arguments` add to `flowline serve`'s; `environment` to its environment (e.g. the Salesforce
    /// login URL of an emulator).
    init(arguments: [String] = [], environment: [String: String] = [:]) throws {
        // The walkthrough's connections name made-up hosts: stored without trying them.
        serve = try ServeProcess(accessKeyId: Self.accessKeyId, secretAccessKey: Self.secretAccessKey, arguments: arguments,
                                 environment: FlowlineCLI.skipConnectionCheck.merging(environment) { $1 })
    }

    /// A server whose Salesforce tokens are renewed at `sandbox`'s token endpoint, with its client.
    convenience init(salesforceSandbox sandbox: SandboxProcess) throws {
        try self.init(environment: ["FLOWLINE_SALESFORCE_LOGIN_URL": sandbox.url, "FLOWLINE_SALESFORCE_CLIENT_ID": "sandbox-client-id",
                                    "FLOWLINE_SALESFORCE_CLIENT_SECRET": "sandbox-client-secret"])
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
