/// Limits and knobs of one flow run.
public struct RunSettings: Sendable {
    /// Records per batch asked of the source; bounds memory per pipeline stage.
    public var batchSize: Int
    /// Source bytes one run may process (AppFlow's 100 GB per run). At the cap the run stops at
    /// a chunk boundary, commits what it has, and an incremental flow resumes there next time.
    public var maxBytesPerRun: Int64
    /// Stop at the first record that cannot be transferred instead of counting and skipping it.
    public var failOnFirstError: Bool

    public static let defaultMaxBytesPerRun: Int64 = 100_000_000_000

    public init(batchSize: Int = 8192, maxBytesPerRun: Int64 = RunSettings.defaultMaxBytesPerRun, failOnFirstError: Bool = false) {
        self.batchSize = batchSize
        self.maxBytesPerRun = maxBytesPerRun
        self.failOnFirstError = failOnFirstError
    }
}

/// Counters a run reports while it goes and at its end.
public struct RunProgress: Sendable, Equatable {
    public var recordsRead: Int64 = 0
    public var recordsWritten: Int64 = 0
    public var recordsRejected: Int64 = 0
    public var bytesRead: Int64 = 0
    public var bytesWritten: Int64 = 0

    public init() {}
}
