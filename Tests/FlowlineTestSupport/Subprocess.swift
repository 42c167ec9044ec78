import Foundation

/// Runs a program to completion and captures what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

public enum Subprocess {
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                           stdin: String? = nil, currentDirectory: URL? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes while the child runs, so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data(), errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        process.waitUntilExit()
        group.wait()
        return ProcessResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    /// The path of a program on PATH.
    public static func which(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Python 3 as an independent reader of what Flowline writes (csv, json, pyarrow, duckdb).
public enum Python {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs `script` with `arguments` in `sys.argv[1:]` and returns its stdout; throws with stderr on failure.
    public static func run(_ script: String, _ arguments: [String] = []) throws -> String {
        guard let python = Subprocess.which("python3") else { throw Failure(description: "python3 is not on PATH") }
        let result = try Subprocess.run(python, ["-c", script] + arguments)
        guard result.status == 0 else {
            throw Failure(description: "python3 failed (\(result.status)); install readers with `pip install pyarrow duckdb`:\n\(result.stderr)")
        }
        return result.stdout
    }

    /// Runs `script` and decodes its stdout as JSON.
    public static func json(_ script: String, _ arguments: [String] = []) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(run(script, arguments).utf8), options: [.fragmentsAllowed])
    }
}
