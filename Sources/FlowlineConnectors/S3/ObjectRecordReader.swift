import FlowlineCore
import FlowlineFormats

/// A reader of one object's records, whatever its format.
protocol ObjectRecordReader: AnyObject {
    var schema: Schema { get }
    var bytesRead: Int64 { get }
    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])?
}

extension CSVReader: ObjectRecordReader {
    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])? {
        try next(maxRows: maxRows).map { (chunk: CSVChunk) in (chunk.batch, chunk.malformedRows) }
    }
}

extension JSONLinesReader: ObjectRecordReader {
    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])? {
        try next(maxRows: maxRows).map { (chunk: JSONLinesChunk) in (chunk.batch, chunk.malformedRows) }
    }
}
