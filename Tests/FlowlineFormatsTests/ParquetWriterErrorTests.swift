import Foundation
import Testing
import FlowlineCore
import FlowlineFormats

/// Values the file cannot hold exactly, or that do not fit the schema, fail loudly and by name.
@Suite struct ParquetWriterErrorTests {
    static let schema = Schema([Field(name: "Name", type: .string), Field(name: "Amount", type: .decimal)])

    private func writeExpectingError(_ rows: [[Value]], options: ParquetWriterOptions = ParquetWriterOptions(),
                                     schema: Schema = ParquetWriterErrorTests.schema,
                                     goodRow: [Value] = [.string("ok"), .decimal(1)]) throws -> ParquetWriterError? {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        do {
            try writer.write(RecordBatch(schema: schema, rows: [goodRow]))
            try writer.write(RecordBatch(schema: schema, rows: rows))
        } catch let error as ParquetWriterError {
            // The file is now incomplete: the writer refuses to go on or to finish it.
            #expect(throws: ParquetWriterError.writerFailed(path: path)) {
                try writer.write(RecordBatch(schema: schema, rows: [goodRow]))
            }
            #expect(throws: ParquetWriterError.writerFailed(path: path)) { _ = try writer.close() }
            return error
        }
        return nil
    }

    @Test("a value of the wrong type names the column and the row")
    func typeMismatch() throws {
        let error = try #require(try writeExpectingError([[.string("a"), .decimal(2)], [.string("b"), .double(2.5)]]))
        guard case let .typeMismatch(_, column, row, expected, found) = error else {
            Issue.record("unexpected error \(error)"); return
        }
        #expect(column == "Amount" && row == 2 && expected == .decimal && found == .double)
        #expect(error.description.contains("column 'Amount' row 2"))
        #expect(!error.description.contains("2.5"), "values stay out of error messages")
    }

    @Test("decimals that need rounding or more digits throw instead of changing",
          arguments: ["0.0000000000000000001", "-1.2345678901234567891", "100000000000000000000", "1e40"])
    func decimalNotRepresentable(text: String) throws {
        let value = try #require(Decimal(string: text))
        let error = try #require(try writeExpectingError([[.string("x"), .decimal(value)]]))
        guard case let .decimalNotRepresentable(_, column, row, precision, scale, _) = error else {
            Issue.record("unexpected error \(error)"); return
        }
        #expect(column == "Amount" && row == 1 && precision == 38 && scale == 18)
    }

    @Test("a narrower decimal layout from options is honoured and enforced")
    func narrowDecimal() throws {
        let schema = Schema([Field(name: "price", type: .decimal)])
        let options = ParquetWriterOptions(decimalPrecision: 9, decimalScale: 2)
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let rows: [[Value]] = [[.decimal(Decimal(string: "1234567.89")!)], [.decimal(Decimal(string: "-0.5")!)], [.null]]
        try ParquetTestSupport.write(rows, schema: schema, to: path, options: options)
        let readBack = try ParquetReadBack.read(path)
        #expect(readBack.arrow.schema == [["price", "decimal128(9, 2)"]])
        #expect(readBack.arrow.rows == [["1234567.89"], ["-0.50"], [nil]])
        #expect(readBack.duckdb.rows == [["1234567.89"], ["-0.50"], [nil]])

        let tooBig = try writeExpectingError([[.decimal(Decimal(string: "12345678.9")!)]], options: options, schema: schema,
                                          goodRow: [.decimal(1)])
        #expect(tooBig.map { if case .decimalNotRepresentable = $0 { true } else { false } } == true)
    }

    @Test("rows of the wrong width and batches of another schema are refused")
    func shapeMismatch() throws {
        let width = try #require(try writeExpectingError([[.string("only one")]]))
        #expect(width == .rowWidthMismatch(path: width.path, row: 1, expected: 2, found: 1))

        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        let other = Schema([Field(name: "Name", type: .string), Field(name: "Amount", type: .double)])
        #expect(throws: ParquetWriterError.self) { try writer.write(RecordBatch(schema: other, rows: [])) }
    }

    @Test("invalid options are refused before the file is created")
    func invalidOptions() throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        #expect(throws: ParquetWriterError.invalidOptions(path: path, reason: "decimalScale must be in 0...decimalPrecision")) {
            _ = try ParquetWriter(path: path, schema: Self.schema, options: ParquetWriterOptions(decimalPrecision: 10, decimalScale: 12))
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("a closed writer refuses more rows")
    func closedWriter() throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let writer = try ParquetWriter(path: path, schema: Self.schema)
        _ = try writer.close()
        #expect(throws: ParquetWriterError.writerClosed(path: path)) {
            try writer.write(RecordBatch(schema: Self.schema, rows: []))
        }
    }
}

extension ParquetWriterError {
    var path: String {
        switch self {
        case let .invalidOptions(path, _), let .rowWidthMismatch(path, _, _, _), let .schemaMismatch(path, _),
             let .typeMismatch(path, _, _, _, _), let .decimalNotRepresentable(path, _, _, _, _, _),
             let .writerClosed(path), let .writerFailed(path):
            return path
        }
    }
}
