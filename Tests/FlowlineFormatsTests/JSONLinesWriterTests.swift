import Foundation
import Testing
import FlowlineCore
@testable import FlowlineFormats

@Suite struct JSONLinesWriterTests {
    static let schema = Schema([
        Field(name: "s", type: .string), Field(name: "i", type: .int), Field(name: "d", type: .double),
        Field(name: "b", type: .bool), Field(name: "dec", type: .decimal), Field(name: "day", type: .date),
        Field(name: "at", type: .timestamp), Field(name: "key \"q\"\n", type: .string),
    ])

    static let controlCharacters = String((0..<32).map { Character(Unicode.Scalar(UInt8($0))) })

    static let rows: [[Value]] = [
        [.string("plain"), .int(0), .double(0.1), .bool(true), .decimal(Decimal(string: "12345678901234567890.125")!),
         .date(19_782), .timestamp(1_709_210_096_500_000), .string("x")],
        [.string(controlCharacters + "\"\\/\u{7F}"), .int(.min), .double(-1e-7), .bool(false), .decimal(Decimal(string: "-0.001")!),
         .date(-1), .timestamp(-1), .null],
        [.string("Zoë 東京 🚀 \u{2028}"), .int(.max), .double(1e300), .null, .decimal(0), .null, .null, .string("")],
        [.null, .null, .double(.nan), .null, .null, .null, .null, .null],
        [.string(""), .int(-1), .double(.infinity), .bool(true), .decimal(Decimal(string: "1e-30")!), .date(0), .timestamp(0), .null],
        [.string("5"), .int(5), .double(5), .bool(false), .decimal(Decimal(string: "1e30")!), .date(2_932_896), .timestamp(253_402_300_799_999_999), .null],
    ]

    func write(_ rows: [[Value]], to path: String) throws -> FileSink {
        let sink = try FileSink(path: path)
        let writer = JSONLinesWriter(sink: sink, schema: Self.schema)
        try writer.write(RecordBatch(schema: Self.schema, rows: Array(rows.prefix(2))))
        try writer.write(RecordBatch(schema: Self.schema, rows: Array(rows.dropFirst(2))))
        #expect(writer.rowsWritten == rows.count)
        try sink.close()
        return sink
    }

    @Test func pythonJSONReadsBackEveryValue() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("out.jsonl")
        let sink = try write(Self.rows, to: path)
        // Python prints, per line, its keys in order and each value tagged with its Python type;
        // numbers are passed on as their text (floats parsed with Decimal) so digits are checked exactly.
        let script = """
        import json, sys, decimal
        out = []
        with open(sys.argv[1], 'rb') as f:
            data = f.read()
        data.decode('utf-8')  # must be valid UTF-8
        for line in data.split(b'\\n')[:-1]:
            obj = json.loads(line, parse_float=decimal.Decimal)
            out.append([[k, type(v).__name__, str(v) if isinstance(v, (decimal.Decimal, int)) and not isinstance(v, bool) else v] for k, v in obj.items()])
        print(json.dumps(out))
        """
        let python = try runPython(script, path: path) as! [[[Any]]]
        #expect(sink.bytesWritten == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count))
        #expect(python.count == Self.rows.count)
        for (rowIndex, (pythonRow, row)) in zip(python, Self.rows).enumerated() {
            #expect(pythonRow.map { $0[0] as! String } == Self.schema.names, "row \(rowIndex)")
            for (column, (entry, value)) in zip(pythonRow, row).enumerated() {
                let type = entry[1] as! String, json = entry[2]
                let context: Comment = "row \(rowIndex) column \(column)"
                switch value {
                case .null:
                    #expect(type == "NoneType", context)
                case .string(let s):
                    #expect(type == "str" && json as? String == s, context)
                case .int(let i):
                    #expect(type == "int" && Int64(json as! String) == i, context)
                case .bool(let b):
                    #expect(type == "bool" && (json as? Bool) == b, context)
                case .double(let d):
                    if d.isFinite {
                        #expect(type == "Decimal" && Double(json as! String) == d, context)
                    } else {
                        #expect(type == "NoneType", context)
                    }
                case .decimal(let d):
                    // Integral decimals print without a point, so Python reads them as int.
                    #expect(["Decimal", "int"].contains(type) && Decimal(string: json as! String) == d, context)
                case .date, .timestamp:
                    #expect(type == "str" && json as? String == value.text, context)
                }
            }
        }
    }

    @Test func escapesExactlyAndKeepsNonASCIIAsUTF8() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("exact.jsonl")
        let schema = Schema([Field(name: "s", type: .string), Field(name: "d", type: .double), Field(name: "n", type: .decimal)])
        let sink = try FileSink(path: path)
        try JSONLinesWriter(sink: sink, schema: schema).write(RecordBatch(schema: schema, rows: [
            [.string("a\"b\\c\n\t\u{01}é"), .double(2), .decimal(Decimal(string: "3.50")!)],
            [.null, .double(-.infinity), .null],
        ]))
        try sink.close()
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        #expect(text == "{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001é\",\"d\":2.0,\"n\":3.5}\n{\"s\":null,\"d\":null,\"n\":null}\n")
    }

    @Test func roundTripThroughJSONLinesReader() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("roundtrip.jsonl")
        let rows = Self.rows.filter { row in
            if case .double(let d) = row[2] { return d.isFinite }  // NaN and infinity come back as null
            return true
        }
        _ = try write(rows, to: path)
        var options = JSONLinesReadOptions()
        options.schema = Self.schema
        let result = try readAllJSONLines(path, options: options)
        #expect(result.malformed.isEmpty)
        #expect(result.rows == rows)
    }

    @Test func rejectsRowsOfTheWrongWidth() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("width.jsonl")
        let sink = try FileSink(path: path)
        #expect(throws: JSONLinesError.rowWidthMismatch(path: path, expected: 8, found: 1)) {
            try JSONLinesWriter(sink: sink, schema: Self.schema).write(RecordBatch(schema: Self.schema, rows: [[.null]]))
        }
    }
}
