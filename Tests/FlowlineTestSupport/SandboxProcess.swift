import Foundation

/// The built `flowline-sandbox` (beside `flowline`: a test target using it depends on it) running on
/// a free loopback port for one test; stopped on release.
public final class SandboxProcess: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only stops the child.
    public let process: Process
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)" }

    public static var binary: String {
        URL(fileURLWithPath: FlowlineCLI.binary).deletingLastPathComponent().appendingPathComponent("flowline-sandbox").path
    }

    public init(records: Int, pageSize: Int = 2000, extra: [String] = []) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--port", "0", "--records", String(records), "--page-size", String(pageSize)] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The sandbox prints its port on a line of its own once it listens.
        var text = ""
        var found: Int?
        while found == nil {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            for line in text.split(separator: "\n") where line.hasPrefix("flowline-sandbox listening on http://127.0.0.1:") {
                found = Int(line.split(separator: ":").last ?? "")
            }
        }
        guard let found else {
            process.terminate()
            throw SandboxStartError(output: text)
        }
        port = found
        // Keep draining stdout so the child never blocks on a full pipe.
        let handle = out.fileHandleForReading
        DispatchQueue.global().async { _ = handle.readDataToEndOfFile() }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }

    /// An admin call (`/_sandbox/...`), answered as JSON.
    @discardableResult
    public func admin(_ path: String, method: String = "POST") throws -> [String: Any] {
        let script = """
            import sys, urllib.request
            req = urllib.request.Request(sys.argv[1], method=sys.argv[2], data=b"" if sys.argv[2] == "POST" else None)
            print(urllib.request.urlopen(req).read().decode())
            """
        return try Python.json(script, [url + path, method]) as? [String: Any] ?? [:]
    }

    public func stats() throws -> [String: Int] {
        (try admin("/_sandbox/stats", method: "GET") as? [String: Int]) ?? [:]
    }
}

public struct SandboxStartError: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "flowline-sandbox did not start: \(output)" }
}
