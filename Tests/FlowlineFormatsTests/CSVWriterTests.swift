import Foundation
import Testing
import FlowlineCore
@testable import FlowlineFormats

@Suite struct CSVWriterTests {
    static let trickyStrings = [
        "plain", "with,comma", "with \"quotes\"", "line\nbreak", "carriage\rreturn", "crlf\r\nend",
        " leading space", "trailing space ", "\ttab", "Zoë 東京 🚀", "\"", ",", "", "a\"\"b",
    ]

    @Test func writesWhatPythonCSVReadsBackExactly() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.csv")
        let schema = Schema([
            Field(name: "id", type: .int), Field(name: "text", type: .string), Field(name: "flag", type: .bool),
            Field(name: "price", type: .decimal), Field(name: "ratio", type: .double),
            Field(name: "day", type: .date), Field(name: "at", type: .timestamp), Field(name: "odd, name", type: .string),
        ])
        var rows: [[Value]] = []
        for (i, text) in Self.trickyStrings.enumerated() {
            rows.append([
                .int(Int64(i) - 7), .string(text), .bool(i % 2 == 0), .decimal(Decimal(string: "12345678901234567890.125")!),
                .double(Double(i) / 4), .date(Int32(i * 1000 - 5000)), .timestamp(1_700_000_000_123_456 + Int64(i)),
                i % 3 == 0 ? .null : .string("x"),
            ])
        }
        rows.append([.int(.min), .null, .null, .null, .null, .null, .null, .null])
        rows.append([.int(.max), .string(""), .bool(false), .decimal(-0.5), .double(-1e300), .date(0), .timestamp(-1), .string("")])
        let sink = try FileSink(path: path)
        let writer = try CSVWriter(sink: sink, schema: schema)
        try writer.write(RecordBatch(schema: schema, rows: Array(rows.prefix(5))))
        try writer.write(RecordBatch(schema: schema, rows: Array(rows.dropFirst(5))))
        try sink.close()
        #expect(writer.rowsWritten == rows.count)

        let python = try pythonCSVRows(path)
        #expect(python.first == schema.names)
        #expect(Array(python.dropFirst()) == rows.map { $0.map { $0.text ?? "" } })
        #expect(sink.bytesWritten == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count))
    }

    @Test func quotesOnlyWhatNeedsQuotingAndEndsLinesWithLF() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("exact.csv")
        let schema = Schema([Field(name: "a", type: .string), Field(name: "b", type: .string), Field(name: "n", type: .int)])
        let sink = try FileSink(path: path)
        let writer = try CSVWriter(sink: sink, schema: schema)
        try writer.write(RecordBatch(schema: schema, rows: [
            [.string("x"), .null, .int(-42)],
            [.string(""), .string("say \"hi\""), .int(0)],
            [.string(" pad"), .string("a,b"), .null],
            [.string("two\nlines"), .string("é"), .int(1_000_000)],
        ]))
        try sink.close()
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(text == "a,b,n\nx,,-42\n\"\",\"say \"\"hi\"\"\",0\n\" pad\",\"a,b\",\n\"two\nlines\",é,1000000\n")
    }

    @Test func roundTripThroughCSVReaderKeepsNullAndEmptyApart() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("roundtrip.csv")
        let schema = Schema([Field(name: "k", type: .string), Field(name: "v", type: .string)])
        var rows: [[Value]] = Self.trickyStrings.map { [.string($0), .null] }
        rows += Self.trickyStrings.map { [.null, .string($0)] }
        rows.append([.null, .null])
        rows.append([.string(""), .string("")])
        let sink = try FileSink(path: path)
        try CSVWriter(sink: sink, schema: schema).write(RecordBatch(schema: schema, rows: rows))
        try sink.close()
        let result = try readAllCSV(path)
        #expect(result.malformed.isEmpty)
        #expect(result.schema.names == ["k", "v"])
        #expect(result.rows == rows)
    }

    @Test func oneColumnNullsSurviveAsBlankLines() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("one.csv")
        let schema = Schema([Field(name: "only", type: .string)])
        let rows: [[Value]] = [[.string("a")], [.null], [.string("")], [.null], [.string("b")]]
        let sink = try FileSink(path: path)
        try CSVWriter(sink: sink, schema: schema).write(RecordBatch(schema: schema, rows: rows))
        try sink.close()
        #expect(try readAllCSV(path).rows == rows)
        // Python's csv shows a blank line as an empty row.
        #expect(try pythonCSVRows(path) == [["only"], ["a"], [], [""], [], ["b"]])
    }

    @Test func rejectsRowsOfTheWrongWidth() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("width.csv")
        let schema = Schema([Field(name: "a", type: .string), Field(name: "b", type: .string)])
        let sink = try FileSink(path: path)
        let writer = try CSVWriter(sink: sink, schema: schema)
        #expect(throws: CSVError.rowWidthMismatch(path: path, expected: 2, found: 1)) {
            try writer.write(RecordBatch(schema: schema, rows: [[.string("only one")]]))
        }
    }

    @Test func headerOnlyFileForAnEmptyRun() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("empty.csv")
        let schema = Schema([Field(name: "a b", type: .string), Field(name: "c,d", type: .string)])
        let sink = try FileSink(path: path)
        _ = try CSVWriter(sink: sink, schema: schema)
        try sink.close()
        #expect(try pythonCSVRows(path) == [["a b", "c,d"]])
        #expect(try readAllCSV(path).schema.names == ["a b", "c,d"])
    }
}
