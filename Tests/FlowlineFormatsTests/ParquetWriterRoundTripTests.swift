import Foundation
import Testing
import FlowlineCore
import FlowlineFormats

/// Files with every type, nulls everywhere and awkward values, read back by pyarrow and DuckDB.
@Suite struct ParquetWriterRoundTripTests {
    static let schema = Schema([
        Field(name: "flag", type: .bool),
        Field(name: "count", type: .int),
        Field(name: "ratio", type: .double),
        Field(name: "amount", type: .decimal),
        Field(name: "name", type: .string),
        Field(name: "born", type: .date),
        Field(name: "seen_at", type: .timestamp),
    ])

    static func decimal(_ text: String) -> Value { .decimal(Decimal(string: text)!) }

    static let rows: [[Value]] = [
        [.bool(true), .int(0), .double(0.1), decimal("1.5"), .string("Acme Corp"), .date(0), .timestamp(0)],
        [.null, .null, .null, .null, .null, .null, .null],
        [.bool(false), .int(Int64.min), .double(-0.0), decimal("-12345678901234567890.123456789012345678"),
         .string(""), .date(-719_162), .timestamp(-62_135_596_800_000_000)],
        [.bool(true), .int(Int64.max), .double(.infinity), decimal("99999999999999999999.999999999999999999"),
         .string("Zoë Ångström — 東京 🚀"), .date(2_932_896), .timestamp(253_402_300_799_999_999)],
        [.null, .int(-1), .double(-.infinity), decimal("0.000000000000000001"),
         .string("line one\nline two\r\n\"quoted\", 'single', comma,semicolon;tab\t"), .date(-1), .timestamp(-1)],
        [.bool(false), .int(42), .double(.nan), decimal("-0.000000000000000001"),
         .string("caf\u{E9}"), .date(19_723), .timestamp(1_704_067_200_123_456)],
        [.bool(true), .int(1_000_000_007), .double(1.7976931348623157e308), decimal("0"),
         .string("cafe\u{301}"), .date(-25_567), .timestamp(1_234_567)],
        [.null, .int(-9_007_199_254_740_993), .double(.leastNonzeroMagnitude), decimal("100"),
         .string("Acme Corp"), .null, .timestamp(-1_000_001)],
        [.bool(true), .null, .double(123456.789), .null, .string("null"), .date(1), .null],
    ]

    @Test("every type, nulls in every column, read back exactly by pyarrow and DuckDB", arguments: Codec.allCases)
    func everyTypeRoundTrips(codec: Codec) throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let summary = try ParquetTestSupport.write(Self.rows, schema: Self.schema, to: path,
                                                   options: ParquetWriterOptions(compression: codec), batchSize: 4)
        let fileSize = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(summary.rows == Int64(Self.rows.count))
        #expect(summary.bytes == Int64(fileSize ?? -1))
        #expect(summary.rowGroups == 1)

        let readBack = try ParquetReadBack.read(path)
        ParquetTestSupport.expectBothReaders(readBack, schema: Self.schema, rows: Self.rows)

        let metadata = readBack.metadata
        #expect(metadata.numRows == Self.rows.count)
        #expect(metadata.createdBy == "flowline version 0.1")
        #expect(metadata.rowGroups.count == 1)
        let codecName = ["uncompressed": "UNCOMPRESSED", "snappy": "SNAPPY", "zstd": "ZSTD"][codec.rawValue]
        for column in metadata.rowGroups[0].columns {
            #expect(column.compression == codecName)
            #expect(column.numValues == Self.rows.count)
        }
        let expectedNulls = (0..<Self.schema.fields.count).map { c in Self.rows.filter { $0[c].isNull }.count }
        #expect(metadata.rowGroups[0].columns.map(\.nullCount) == expectedNulls)
    }

    @Test("statistics give the min and max of numbers, ignoring NaN")
    func numericStatistics() throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        try ParquetTestSupport.write(Self.rows, schema: Self.schema, to: path, options: ParquetWriterOptions())
        let columns = try ParquetReadBack.read(path).metadata.rowGroups[0].columns
        #expect(columns[0].min == "False" && columns[0].max == "True")
        #expect(columns[1].min == String(Int64.min) && columns[1].max == String(Int64.max))
        #expect(columns[2].min == "-inf" && columns[2].max == "inf")
        #expect(columns[5].min == "0001-01-01" && columns[5].max == "9999-12-31")
    }

    @Test("strings that differ only in Unicode normalization stay distinct through the dictionary")
    func canonicallyEquivalentStringsStayDistinct() throws {
        let schema = Schema([Field(name: "word", type: .string)])
        let rows: [[Value]] = (0..<100).map { .string($0 % 2 == 0 ? "caf\u{E9}" : "cafe\u{301}") }.map { [$0] }
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        try ParquetTestSupport.write(rows, schema: schema, to: path, options: ParquetWriterOptions())
        let readBack = try ParquetReadBack.read(path)
        ParquetTestSupport.expectBothReaders(readBack, schema: schema, rows: rows)
        let chunk = try #require(readBack.metadata.rowGroups.first?.columns.first)
        #expect(chunk.hasDictionaryPage)
        #expect(chunk.encodings.contains("RLE_DICTIONARY"))
    }

    @Test("preserveTypes false writes every column as a STRING of Value.text")
    func everythingAsText() throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        try ParquetTestSupport.write(Self.rows, schema: Self.schema, to: path,
                                     options: ParquetWriterOptions(preserveTypes: false))
        let readBack = try ParquetReadBack.read(path)
        let expected = Self.rows.map { $0.map(\.text) }
        let names = Self.schema.names
        ParquetTestSupport.expectTable(readBack.arrow, reader: "pyarrow", names: names,
                                       types: Array(repeating: "string", count: names.count), rows: expected)
        ParquetTestSupport.expectTable(readBack.duckdb, reader: "duckdb", names: names,
                                       types: Array(repeating: "VARCHAR", count: names.count), rows: expected)
        // Spot-check the text forms themselves, independent of Value.text.
        #expect(readBack.arrow.rows[5][5] == "2024-01-01")
        #expect(readBack.arrow.rows[5][6] == "2024-01-01T00:00:00.123456Z")
        #expect(readBack.arrow.rows[0][3] == "1.5")
    }

    @Test("a file with no rows is valid and keeps its schema")
    func emptyFile() throws {
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let options = ParquetWriterOptions(keyValueMetadata: ["flowline.flow": "accounts-daily"])
        let summary = try ParquetTestSupport.write([], schema: Self.schema, to: path, options: options)
        #expect(summary.rows == 0 && summary.rowGroups == 0)
        let readBack = try ParquetReadBack.read(path)
        ParquetTestSupport.expectBothReaders(readBack, schema: Self.schema, rows: [])
        #expect(readBack.metadata.rowGroups.isEmpty)
        #expect(readBack.metadata.keyValue == ["flowline.flow": "accounts-daily"])
    }
}
