import FlowlineCore

/// Writes record batches to one Parquet file: file → row groups → column chunks → data pages
/// (the layering of Arrow's `parquet/file_writer.h`).
///
/// Only the current row group is held in memory, already encoded and compressed page by page; it is
/// written out once it reaches `options.rowGroupBytes` or `options.rowGroupRows`. After a `write`
/// throws the file is incomplete: later calls throw, and the caller should delete the file.
public final class ParquetWriter {
    public let path: String
    public let schema: Schema
    public let options: ParquetWriterOptions

    private let sink: FileSink
    private let columns: [ParquetColumnChunkWriter]
    private var rowGroups: [ParquetRowGroup] = []
    private var rowsInGroup = 0
    private var state = State.open
    public private(set) var rowsWritten: Int64 = 0

    private enum State { case open, failed, closed }

    /// Rows per column-major slice; row group limits are checked between slices.
    private static let sliceRows = 4096
    private static let magic: [UInt8] = Array("PAR1".utf8)

    /// `exclusive`: create a new file, failing if anything is at `path` (see `FileSink`).
    public init(path: String, schema: Schema, options: ParquetWriterOptions = ParquetWriterOptions(), exclusive: Bool = false) throws {
        try options.validate(path: path)
        if schema.fields.isEmpty {
            throw ParquetWriterError.schemaMismatch(path: path, reason: "a Parquet file needs at least one field")
        }
        self.path = path
        self.schema = schema
        self.options = options
        columns = schema.fields.map {
            ParquetColumnChunkWriter(layout: ParquetColumnLayout(field: $0, options: options), path: path, options: options)
        }
        sink = try FileSink(path: path, exclusive: exclusive)
        try sink.write(Self.magic)
    }

    /// Bytes written to the file so far plus the encoded row group still in memory; a destination can
    /// use it to start a new file at a size limit.
    public var estimatedBytes: Int64 {
        sink.bytesWritten + Int64(columns.reduce(0) { $0 + $1.bufferedBytes })
    }

    public func write(_ batch: RecordBatch) throws {
        try ensureOpen()
        do {
            try checkSchema(batch.schema)
            if let batchColumns = batch.columns {
                guard batchColumns.count == columns.count else {
                    throw ParquetWriterError.rowWidthMismatch(path: path, row: rowsWritten, expected: columns.count,
                                                              found: batchColumns.count)
                }
                // Columnar: encoders read the typed storage directly.
                let cells = batchColumns.map { ParquetCells(column: $0) }
                try append(count: batch.count) { c in cells[c] }
                return
            }
            try batch.rows.withUnsafeBufferPointer { rows in
                for (index, row) in rows.enumerated() where row.count != columns.count {
                    throw ParquetWriterError.rowWidthMismatch(path: path, row: rowsWritten + Int64(index),
                                                              expected: columns.count, found: row.count)
                }
                try append(count: rows.count) { c in ParquetCells(rows: rows, field: c) }
            }
        } catch {
            state = .failed
            throw error
        }
    }

    /// Appends `count` records, column by column in slices; `cells(c)` reads column `c`.
    private func append(count: Int, _ cells: (Int) -> ParquetCells) throws {
        var start = 0
        while start < count {
            let take = min(count - start, options.rowGroupRows - rowsInGroup, Self.sliceRows)
            let rowNumberBase = rowsWritten - Int64(start)
            for (c, column) in columns.enumerated() {
                try column.append(cells(c), range: start..<(start + take), rowNumberBase: rowNumberBase)
            }
            start += take
            rowsInGroup += take
            rowsWritten += Int64(take)
            if rowsInGroup >= options.rowGroupRows || bufferedBytes >= options.rowGroupBytes {
                try flushRowGroup()
            }
        }
    }

    /// Writes the last row group and the footer, then fsyncs and closes the file.
    public func close() throws -> ParquetFileSummary {
        if state == .failed {
            state = .closed
            try? sink.close()
            throw ParquetWriterError.writerFailed(path: path)
        }
        try ensureOpen()
        state = .closed
        if rowsInGroup > 0 { try flushRowGroup() }
        let keyValues = options.keyValueMetadata.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        let root = ParquetSchemaElement(name: "schema", numChildren: Int32(columns.count))
        let footer = ParquetFileMetaData(schema: [root] + columns.map(\.schemaElement), numRows: rowsWritten,
                                         rowGroups: rowGroups, keyValueMetadata: keyValues,
                                         createdBy: options.createdBy, leafColumnCount: columns.count).encoded()
        try sink.write(footer)
        var length = UInt32(footer.count).littleEndian
        try withUnsafeBytes(of: &length) { try sink.write($0) }
        try sink.write(Self.magic)
        try sink.sync()
        try sink.close()
        return ParquetFileSummary(path: path, rows: rowsWritten, bytes: sink.bytesWritten, rowGroups: rowGroups.count)
    }

    private var bufferedBytes: Int { columns.reduce(0) { $0 + $1.bufferedBytes } }

    private func flushRowGroup() throws {
        let groupStart = sink.bytesWritten
        var chunks: [ParquetColumnChunk] = []
        chunks.reserveCapacity(columns.count)
        for column in columns { chunks.append(try column.writeChunk(to: sink)) }
        rowGroups.append(ParquetRowGroup(
            columns: chunks,
            totalByteSize: chunks.reduce(0) { $0 + $1.metaData.totalUncompressedSize },
            numRows: Int64(rowsInGroup), fileOffset: groupStart,
            totalCompressedSize: sink.bytesWritten - groupStart, ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        rowsInGroup = 0
    }

    private func ensureOpen() throws {
        switch state {
        case .open: return
        case .failed: throw ParquetWriterError.writerFailed(path: path)
        case .closed: throw ParquetWriterError.writerClosed(path: path)
        }
    }

    private func checkSchema(_ other: Schema) throws {
        guard other.fields.count == schema.fields.count else {
            throw ParquetWriterError.schemaMismatch(
                path: path, reason: "\(other.fields.count) fields instead of \(schema.fields.count)")
        }
        for (mine, theirs) in zip(schema.fields, other.fields) where mine.name != theirs.name || mine.type != theirs.type {
            throw ParquetWriterError.schemaMismatch(
                path: path, reason: "field '\(theirs.name)' (\(theirs.type.rawValue)) where the file has '\(mine.name)' (\(mine.type.rawValue))")
        }
    }
}
