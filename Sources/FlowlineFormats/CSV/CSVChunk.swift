import FlowlineCore

/// What one `CSVReader.next(maxRows:)` call found: the good rows, and the records it rejected.
///
/// Either part may be empty (a stretch of the file can be all malformed), never both.
public struct CSVChunk: Sendable {
    public var batch: RecordBatch
    public var malformedRows: [MalformedRow]

    public init(batch: RecordBatch, malformedRows: [MalformedRow]) {
        self.batch = batch
        self.malformedRows = malformedRows
    }
}
