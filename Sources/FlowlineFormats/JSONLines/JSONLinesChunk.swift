import FlowlineCore

/// What one `JSONLinesReader.next(maxRows:)` call found: the good rows, and the lines it rejected.
///
/// Either part may be empty, never both.
public struct JSONLinesChunk: Sendable {
    public var batch: RecordBatch
    public var malformedRows: [MalformedRow]

    public init(batch: RecordBatch, malformedRows: [MalformedRow]) {
        self.batch = batch
        self.malformedRows = malformedRows
    }
}
