/// What a flow run asks a source for.
public struct ReadRequest: Sendable {
    /// Source fields the task plan reads; `nil` means every field.
    public var projection: [String]?
    /// For incremental pulls: only records whose timestamp field lies in `[from, to)`.
    public var window: IncrementalWindow?
    /// Where an earlier, capped run of the same window stopped (a token the source gave out).
    public var resumeToken: String?
    /// Records per batch the source should aim for.
    public var batchSize: Int

    public init(projection: [String]? = nil, window: IncrementalWindow? = nil, resumeToken: String? = nil, batchSize: Int = 4096) {
        self.projection = projection
        self.window = window
        self.resumeToken = resumeToken
        self.batchSize = batchSize
    }
}

/// A half-open time window `[from, to)` over one timestamp field, in microseconds since the epoch.
/// Half-open, so a record exactly on a boundary belongs to exactly one run.
public struct IncrementalWindow: Sendable, Hashable {
    public var field: String
    public var from: Int64
    public var to: Int64

    public init(field: String, from: Int64, to: Int64) {
        self.field = field
        self.from = from
        self.to = to
    }

    public func contains(_ micros: Int64) -> Bool { micros >= from && micros < to }
}

/// One step of a source's output: good records, records it could not parse, and progress.
public struct SourceChunk: Sendable {
    public var batch: RecordBatch
    public var rejected: [RejectedRecord]
    /// Bytes of source data consumed to produce this chunk.
    public var bytesRead: Int64
    /// Where a later run could resume after this chunk (nil when the source cannot resume).
    public var resumeToken: String?

    public init(batch: RecordBatch, rejected: [RejectedRecord] = [], bytesRead: Int64, resumeToken: String? = nil) {
        self.batch = batch
        self.rejected = rejected
        self.bytesRead = bytesRead
        self.resumeToken = resumeToken
    }
}

/// A connector in the source role.
public protocol RecordSource: Sendable {
    /// The fields records will have (for validating tasks at create time and typing output).
    func schema() async throws -> Schema
    /// Whether the source itself applies `ReadRequest.window`; when false the runner filters.
    var appliesWindow: Bool { get }
    /// Streams chunks; the stream ends when the source is exhausted.
    func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error>
}
