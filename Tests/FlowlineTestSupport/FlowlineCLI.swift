import Foundation

/// The built `flowline` binary, run against its own temporary home as a user would run it.
public final class FlowlineCLI: @unchecked Sendable {
    // @unchecked: immutable after init.
    public let home: TemporaryDirectory
    public let s3Root: URL
    public let extraEnvironment: [String: String]

    public init(environment: [String: String] = [:]) throws {
        home = try TemporaryDirectory("flowline-home")
        s3Root = home.url.appendingPathComponent("s3")
        extraEnvironment = environment
    }

    /// `flowline` beside the test bundle: `swift test` builds every product into the same folder.
    public static var binary: String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        var dir = here
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("flowline").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return here.appendingPathComponent("flowline").path
    }

    public var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["FLOWLINE_HOME"] = home.path
        env["FLOWLINE_S3_ROOT"] = s3Root.path
        for (k, v) in extraEnvironment { env[k] = v }
        return env
    }

    @discardableResult
    public func run(_ arguments: String...) throws -> ProcessResult {
        try run(arguments)
    }

    @discardableResult
    public func run(_ arguments: [String], stdin: String? = nil) throws -> ProcessResult {
        try Subprocess.run(Self.binary, arguments, environment: environment, stdin: stdin)
    }

    /// Runs one command with more environment variables, e.g. `FlowlineCLI.skipConnectionCheck`.
    @discardableResult
    public func run(_ arguments: [String], adding extra: [String: String]) throws -> ProcessResult {
        try Subprocess.run(Self.binary, arguments, environment: environment.merging(extra) { $1 })
    }

    /// Profiles stored without trying their connection: for tests of what a profile that cannot
    /// connect does later (a run, an entity listing), or of profiles with made-up hosts.
    public static let skipConnectionCheck = ["FLOWLINE_SKIP_CONNECTION_CHECK": "1"]

    /// Starts `flowline` without waiting for it (output discarded), to kill or cancel it mid-way.
    public func start(_ arguments: [String]) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = arguments
        p.environment = environment
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs and parses stdout as a JSON object (an empty stdout is an empty object).
    public func json(_ arguments: [String]) throws -> [String: Any] {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw Python.Failure(description: "flowline \(arguments.first ?? "") failed (\(result.status)): \(result.stderr)")
        }
        if result.stdout.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { return [:] }
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// Writes a file into a local S3 bucket.
    public func putObject(bucket: String, key: String, _ text: String) throws {
        let url = s3Root.appendingPathComponent(bucket).appendingPathComponent(key)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Every file under a bucket, as keys relative to it, sorted.
    public func objectKeys(bucket: String) -> [String] {
        let base = s3Root.appendingPathComponent(bucket).path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var keys: [String] = []
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), !isDir.boolValue { keys.append(rel) }
        }
        return keys.sorted()
    }
}
