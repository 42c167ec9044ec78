import FlowlineCore
import FlowlineFormats

/// A reader of one object's records, whatever its format.
protocol ObjectRecordReader: AnyObject {
    var schema: Schema { get }
    var bytesRead: Int64 { get }
    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])?
}

final class CSVObjectReader: ObjectRecordReader {
    let reader: CSVReader

    init(path: String) throws {
        reader = try CSVReader(path: path)
    }

    var schema: Schema { reader.schema }
    var bytesRead: Int64 { reader.bytesRead }

    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])? {
        try reader.next(maxRows: maxRows).map { ($0.batch, $0.malformedRows) }
    }
}

final class JSONLinesObjectReader: ObjectRecordReader {
    let reader: JSONLinesReader

    init(path: String) throws {
        reader = try JSONLinesReader(path: path)
    }

    var schema: Schema { reader.schema }
    var bytesRead: Int64 { reader.bytesRead }

    func next(maxRows: Int) throws -> (batch: RecordBatch, malformedRows: [MalformedRow])? {
        try reader.next(maxRows: maxRows).map { ($0.batch, $0.malformedRows) }
    }
}
