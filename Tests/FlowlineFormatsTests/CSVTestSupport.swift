import Foundation
import FlowlineCore
@testable import FlowlineFormats

/// A fresh directory under the system temp dir, removed when the value is released.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("flowline-text-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes raw bytes to `name` and returns its path.
    func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func file(_ name: String, text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }
}

/// Runs a Python 3 snippet that reads `path` and prints JSON on stdout; returns the decoded JSON.
/// Python's csv and json modules are the independent readers the tests compare against.
func runPython(_ script: String, path: String) throws -> Any {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script, path]
    let stdout = Pipe(), stderr = Pipe()
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    let output = stdout.fileHandleForReading.readDataToEndOfFile()
    let errorOutput = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PythonFailure(message: String(decoding: errorOutput, as: UTF8.self))
    }
    return try JSONSerialization.jsonObject(with: output, options: [.fragmentsAllowed])
}

struct PythonFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { "python3 failed: \(message)" }
}

/// Every row of a CSV file as Python's csv module sees it (strings only: it cannot tell null from "").
func pythonCSVRows(_ path: String) throws -> [[String]] {
    let script = """
    import csv, json, sys
    with open(sys.argv[1], newline='', encoding='utf-8') as f:
        print(json.dumps(list(csv.reader(f, strict=True))))
    """
    return try runPython(script, path: path) as! [[String]]
}

/// Reads a whole CSV file with `CSVReader`, gathering rows and malformed rows.
func readAllCSV(_ path: String, options: CSVReadOptions = CSVReadOptions(),
                maxRows: Int = 1000) throws -> (schema: Schema, rows: [[Value]], malformed: [MalformedRow], reader: CSVReader) {
    let reader = try CSVReader(path: path, options: options)
    var rows: [[Value]] = []
    var malformed: [MalformedRow] = []
    while let chunk = try reader.next(maxRows: maxRows) {
        rows += chunk.batch.rows
        malformed += chunk.malformedRows
    }
    return (reader.schema, rows, malformed, reader)
}
