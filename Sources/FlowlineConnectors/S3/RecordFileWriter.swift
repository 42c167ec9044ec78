import Foundation
import FlowlineCore
import FlowlineFormats

/// One output file being written in one of the S3 destination's formats.
protocol RecordFileWriter: AnyObject {
    func write(_ batch: RecordBatch) throws
    /// About how big the file is so far (for rolling over to the next file).
    var approximateBytes: Int64 { get }
    /// Completes the file and makes it durable; returns its size.
    func finish() throws -> Int64
}

enum RecordFileWriters {
    static func make(_ type: S3OutputLayout.FileType, path: String, schema: Schema, preserveTypes: Bool) throws -> any RecordFileWriter {
        switch type {
        case .csv: return try SinkFileWriter(path: path) { sink in try CSVWriter(sink: sink, schema: schema).write }
        case .json: return try SinkFileWriter(path: path) { sink in JSONLinesWriter(sink: sink, schema: schema).write }
        case .parquet: return try ParquetFileWriter(path: path, schema: schema, preserveTypes: preserveTypes)
        }
    }
}

/// A text format written through a `FileSink`: the writer encodes, the sink buffers and syncs.
final class SinkFileWriter: RecordFileWriter {
    let sink: FileSink
    private let encode: (RecordBatch) throws -> Void

    init(path: String, makeEncoder: (FileSink) throws -> (RecordBatch) throws -> Void) throws {
        sink = try FileSink(path: path, exclusive: true)   // a staged file: new, never through a link
        encode = try makeEncoder(sink)
    }

    func write(_ batch: RecordBatch) throws { try encode(batch) }
    var approximateBytes: Int64 { sink.bytesWritten }

    func finish() throws -> Int64 {
        try sink.sync()
        try sink.close()
        return sink.bytesWritten
    }
}

final class ParquetFileWriter: RecordFileWriter {
    let writer: ParquetWriter
    let path: String

    init(path: String, schema: Schema, preserveTypes: Bool) throws {
        self.path = path
        writer = try ParquetWriter(path: path, schema: schema, options: ParquetWriterOptions(preserveTypes: preserveTypes), exclusive: true)
    }

    func write(_ batch: RecordBatch) throws { try writer.write(batch) }

    var approximateBytes: Int64 { writer.estimatedBytes }

    /// `close` writes the footer and fsyncs the file.
    func finish() throws -> Int64 {
        try writer.close().bytes
    }
}
