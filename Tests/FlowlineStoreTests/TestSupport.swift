import Foundation
import Testing
@testable import FlowlineStore

/// A fresh Flowline home in a private temp directory, removed when the value goes away.
final class TemporaryHome {
    let root: URL
    let home: FlowlineHome

    init() {
        root = FileManager.default.temporaryDirectory
            .appendingPathComponent("flowline-store-tests-\(UUID().uuidString)", isDirectory: true)
        home = FlowlineHome(url: root.appendingPathComponent("home", isDirectory: true))
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    func openStore() throws -> MetadataStore {
        try MetadataStore(home: home)
    }
}

/// A whole-second date, so values survive the microsecond round trip exactly.
func date(_ seconds: Int) -> Date {
    Date(timeIntervalSince1970: TimeInterval(1_700_000_000 + seconds))
}

func sampleProfile(_ name: String, type: String = "Salesforce", kmsArn: String? = nil) -> ConnectorProfileRecord {
    ConnectorProfileRecord(
        name: name, arn: "arn:aws:appflow:us-east-1:000000000000:connectorprofile/\(name)",
        connectorType: type, connectorLabel: nil, connectionMode: "Public", kmsArn: kmsArn,
        credentialsArn: "arn:aws:secretsmanager:us-east-1:000000000000:secret:appflow!\(name)",
        properties: Data(#"{"instanceUrl":"https://example.my.salesforce.com"}"#.utf8),
        createdAt: date(0), lastUpdatedAt: date(0))
}

func sampleFlow(_ name: String, source: String? = nil, destinations: [String] = []) -> FlowRecord {
    FlowRecord(
        name: name, arn: "arn:aws:appflow:us-east-1:000000000000:flow/\(name)", description: "test flow",
        flowStatus: "Active", definition: Data(#"{"flowName":"\#(name)","tasks":[]}"#.utf8),
        sourceConnectorType: source == nil ? "S3" : "Salesforce",
        destinationConnectorTypes: destinations.isEmpty ? ["S3"] : destinations.map { _ in "Redshift" },
        triggerType: "OnDemand", createdAt: date(0), lastUpdatedAt: date(0),
        createdBy: "tester", lastUpdatedBy: "tester", schemaVersion: 1,
        sourceProfileName: source, destinationProfileNames: destinations)
}

func sampleExecution(_ id: String, flow: String, startedAt: Date, status: ExecutionStatus = .inProgress) -> ExecutionRecord {
    ExecutionRecord(executionId: id, flowName: flow, status: status, startedAt: startedAt, lastUpdatedAt: startedAt,
                    runnerProcessId: getpid(), runnerHost: "localhost")
}

/// Errors collected from several threads. `@unchecked Sendable`: every access holds `lock`.
final class ErrorLog: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [String] = []

    func record(_ error: Error) {
        lock.lock()
        errors.append("\(error)")
        lock.unlock()
    }

    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return errors
    }
}

/// A python3 child process running `script` with `arguments`, its stdout readable line by line.
final class PythonChild {
    let process = Process()
    private let output = Pipe()
    private var buffer = Data()

    init(script: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        process.standardOutput = output
        try process.run()
    }

    /// Blocks until the child prints a line, returning it (nil at end of output).
    func readLine() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = Data(buffer[(newline + 1)...])
                return line
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Runs a python3 snippet to completion and returns its stdout (an independent reader of the files).
func python(_ script: String, _ arguments: [String] = []) throws -> String {
    let child = try PythonChild(script: script, arguments: arguments)
    var lines: [String] = []
    while let line = child.readLine() { lines.append(line) }
    let status = child.wait()
    guard status == 0 else { throw PythonFailed(status: status) }
    return lines.joined(separator: "\n")
}

struct PythonFailed: Error { let status: Int32 }
