/// What a destination learns about the run it writes for.
public struct WriteContext: Sendable {
    public var flowName: String
    public var executionId: String
    /// Run start, microseconds since the epoch (used for date-based key prefixes).
    public var startedAt: Int64
    public var schema: Schema
    /// Output field names to partition by (the flow's Partition task), in order.
    public var partitionKeys: [String]
    /// The incremental window the run pulls (nil for a complete pull); a destination that can
    /// record it with its data (the warehouse load ledger) does.
    public var window: IncrementalWindow?

    public init(flowName: String, executionId: String, startedAt: Int64, schema: Schema, partitionKeys: [String] = [],
                window: IncrementalWindow? = nil) {
        self.flowName = flowName
        self.executionId = executionId
        self.startedAt = startedAt
        self.schema = schema
        self.partitionKeys = partitionKeys
        self.window = window
    }
}

/// What a committed write produced.
public struct WriteSummary: Sendable, Equatable {
    public var recordsWritten: Int64
    public var bytesWritten: Int64
    /// Where the data went (object keys, table name), for the user.
    public var locations: [String]

    public init(recordsWritten: Int64, bytesWritten: Int64, locations: [String]) {
        self.recordsWritten = recordsWritten
        self.bytesWritten = bytesWritten
        self.locations = locations
    }
}

/// A connector in the destination role: opens one writer per run.
public protocol RecordDestination: Sendable {
    func open(_ context: WriteContext) async throws -> any DestinationWriter
}

/// Receives a run's batches; nothing is visible to readers of the destination before `commit`.
public protocol DestinationWriter: AnyObject, Sendable {
    func write(_ batch: RecordBatch) async throws
    /// Makes everything written visible at once.
    func commit() async throws -> WriteSummary
    /// Discards everything written; safe to call after a failed write or commit.
    func abort() async
}
