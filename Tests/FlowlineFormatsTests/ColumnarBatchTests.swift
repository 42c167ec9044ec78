import Foundation
import Testing
import FlowlineCore
@testable import FlowlineFormats

/// Columnar batches (the CSV reader's output, the fast path) write exactly the bytes their rows write.
@Suite struct ColumnarBatchTests {
    /// `values` as a column of the storage a reader or the task plan would give `type`.
    static func column(_ values: [Value], _ type: FieldType) -> Column {
        let valid = values.map { !$0.isNull }
        let nulls = valid.contains(false) ? valid : nil
        func numbers<T: Numeric>(_ pick: (Value) -> T?) -> [T] { values.map { pick($0) ?? 0 } }
        switch type {
        case .string:
            var builder = TextColumnBuilder(capacity: values.count)
            for v in values { if case .string(let s) = v { builder.append(s) } else { builder.appendNull() } }
            return builder.finish()
        case .int: return Column(storage: .int(numbers { if case .int(let v) = $0 { v } else { nil } }), valid: nulls, count: values.count)
        case .double: return Column(storage: .double(numbers { if case .double(let v) = $0 { v } else { nil } }), valid: nulls, count: values.count)
        case .date: return Column(storage: .date(numbers { if case .date(let v) = $0 { v } else { nil } }), valid: nulls, count: values.count)
        case .timestamp:
            return Column(storage: .timestamp(numbers { if case .timestamp(let v) = $0 { v } else { nil } }), valid: nulls, count: values.count)
        case .bool, .decimal: return Column(values: values)
        }
    }

    static func columnar(_ rows: [[Value]], _ schema: Schema) -> RecordBatch {
        let columns = schema.fields.indices.map { c in column(rows.map { $0[c] }, schema.fields[c].type) }
        return RecordBatch(schema: schema, columns: columns, count: rows.count)
    }

    @Test func columnsGiveBackTheirValues() {
        let schema = ParquetWriterRoundTripTests.schema
        let rows = ParquetWriterRoundTripTests.rows
        let batch = Self.columnar(rows, schema)
        #expect(batch.count == rows.count)
        // Double NaN is not == itself; compare the text forms, which tell every other value apart.
        #expect(batch.rows.map { $0.map(\.text) } == rows.map { $0.map(\.text) })
        #expect(batch.rows.map { $0.map(\.isNull) } == rows.map { $0.map(\.isNull) })
        var edited = batch
        edited.rows.append(rows[0])
        #expect(edited.count == rows.count + 1 && edited.columns == nil)
    }

    @Test("a columnar batch writes the same Parquet bytes as its rows", arguments: [true, false])
    func parquetFromColumnsIsIdentical(preserveTypes: Bool) throws {
        let schema = ParquetWriterRoundTripTests.schema
        let rows = ParquetWriterRoundTripTests.rows
        let rowPath = try ParquetTestSupport.temporaryPath("rows.parquet")
        let columnPath = try ParquetTestSupport.temporaryPath("columns.parquet")
        defer { ParquetTestSupport.removeDirectory(of: rowPath); ParquetTestSupport.removeDirectory(of: columnPath) }
        let options = ParquetWriterOptions(preserveTypes: preserveTypes, pageRows: 3)
        try ParquetTestSupport.write(rows, schema: schema, to: rowPath, options: options, batchSize: 4)
        let writer = try ParquetWriter(path: columnPath, schema: schema, options: options)
        for start in stride(from: 0, to: rows.count, by: 4) {
            try writer.write(Self.columnar(Array(rows[start..<min(rows.count, start + 4)]), schema))
        }
        _ = try writer.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: columnPath)) == Data(contentsOf: URL(fileURLWithPath: rowPath)))
        if preserveTypes {
            ParquetTestSupport.expectBothReaders(try ParquetReadBack.read(columnPath), schema: schema, rows: rows)
        }
    }

    @Test func aColumnOfTheWrongKindIsATypeMismatch() throws {
        let schema = Schema([Field(name: "n", type: .int)])
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let writer = try ParquetWriter(path: path, schema: schema)
        let text = Self.column([.string("1")], .string)
        #expect(throws: ParquetWriterError.self) { try writer.write(RecordBatch(schema: schema, columns: [text], count: 1)) }
    }

    @Test func csvFromColumnsIsIdentical() throws {
        let dir = try TemporaryDirectory()
        let schema = ParquetWriterRoundTripTests.schema
        let rows = ParquetWriterRoundTripTests.rows
        func write(_ batch: RecordBatch, _ name: String) throws -> Data {
            let sink = try FileSink(path: dir.path(name))
            try CSVWriter(sink: sink, schema: schema).write(batch)
            try sink.close()
            return try Data(contentsOf: URL(fileURLWithPath: dir.path(name)))
        }
        let fromRows = try write(RecordBatch(schema: schema, rows: rows), "rows.csv")
        let fromColumns = try write(Self.columnar(rows, schema), "columns.csv")
        #expect(fromColumns == fromRows)
    }

    /// The CSV reader's columns, and the same records as rows, make byte-identical Parquet and CSV files.
    @Test func csvReaderColumnsWriteWhatTheirRowsWrite() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.file("in.csv", text: """
            id,name,note
            1,"Zoë, ""the"" first",
            2,,""
            3,"two
            lines",café
            x,"a""b",plain\r
            """ + "\n")
        let reader = try CSVReader(path: input)
        let chunk = try #require(try reader.next(maxRows: 100))
        #expect(chunk.batch.columns != nil)
        let rows = chunk.batch.rows
        #expect(rows.count == 4)
        #expect(rows[0] == [.string("1"), .string("Zoë, \"the\" first"), .null])
        #expect(rows[1] == [.string("2"), .null, .string("")])
        let schema = chunk.batch.schema
        let a = dir.path("a.parquet"), b = dir.path("b.parquet")
        let wa = try ParquetWriter(path: a, schema: schema)
        try wa.write(chunk.batch)
        _ = try wa.close()
        let wb = try ParquetWriter(path: b, schema: schema)
        try wb.write(RecordBatch(schema: schema, rows: rows))
        _ = try wb.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == Data(contentsOf: URL(fileURLWithPath: b)))
    }
}
