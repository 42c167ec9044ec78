import Foundation
import Testing
import FlowlineCore
import FlowlineFormats

/// Helpers shared by the Parquet tests: scratch files, and the text both readers should print.
enum ParquetTestSupport {
    static let arrowTypeNames: [FieldType: String] = [
        .bool: "bool", .int: "int64", .double: "double", .decimal: "decimal128(38, 18)",
        .string: "string", .date: "date32[day]", .timestamp: "timestamp[us, tz=UTC]",
    ]
    static let duckDBTypeNames: [FieldType: String] = [
        .bool: "BOOLEAN", .int: "BIGINT", .double: "DOUBLE", .decimal: "DECIMAL(38,18)",
        .string: "VARCHAR", .date: "DATE", .timestamp: "TIMESTAMP WITH TIME ZONE",
    ]

    /// A fresh path in a fresh temporary directory.
    static func temporaryPath(_ name: String = "out.parquet") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name).path
    }

    static func removeDirectory(of path: String) {
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }

    /// Writes `rows` in batches of `batchSize` and closes the file.
    @discardableResult
    static func write(_ rows: [[Value]], schema: Schema, to path: String, options: ParquetWriterOptions,
                      batchSize: Int = 1000) throws -> ParquetFileSummary {
        let writer = try ParquetWriter(path: path, schema: schema, options: options)
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + batchSize)
            try writer.write(RecordBatch(schema: schema, rows: Array(rows[start..<end])))
            start = end
        }
        return try writer.close()
    }

    /// The text a reader prints for `value` (see `ParquetReadBack.Table.rows`).
    static func expectedCell(_ value: Value) -> String? {
        switch value {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(Int64(bitPattern: d.bitPattern))
        case .decimal(let d): return decimalAtScale18(d.description)
        case .string(let s): return s
        case .date(let days): return String(days)
        case .timestamp(let micros): return String(micros)
        }
    }

    /// "1.5" → "1.500000000000000000": decimal text padded to 18 fractional digits.
    static func decimalAtScale18(_ text: String) -> String {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        return String(parts[0]) + "." + fraction + String(repeating: "0", count: 18 - fraction.count)
    }

    /// Checks a reader's schema and every cell against what was written, comparing text byte for byte.
    static func expectTable(_ table: ParquetReadBack.Table, reader: String, names: [String], types: [String],
                            rows expected: [[String?]], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(table.schema.map { $0[0] } == names, "\(reader) column names", sourceLocation: sourceLocation)
        #expect(table.schema.map { $0[1] } == types, "\(reader) column types", sourceLocation: sourceLocation)
        #expect(table.rows.count == expected.count, "\(reader) row count", sourceLocation: sourceLocation)
        var mismatches = 0
        for (r, (actualRow, expectedRow)) in zip(table.rows, expected).enumerated() {
            for (c, (actual, wanted)) in zip(actualRow, expectedRow).enumerated()
            where actual.map({ Array($0.utf8) }) != wanted.map({ Array($0.utf8) }) {
                mismatches += 1
                if mismatches <= 5 {
                    Issue.record("\(reader) row \(r) column \(names[c]): got \(actual ?? "null"), expected \(wanted ?? "null")",
                                 sourceLocation: sourceLocation)
                }
            }
        }
        #expect(mismatches == 0, "\(reader): \(mismatches) cells differ", sourceLocation: sourceLocation)
    }

    /// Checks both readers against `rows` written with `schema` and typed columns.
    static func expectBothReaders(_ readBack: ParquetReadBack, schema: Schema, rows: [[Value]],
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = rows.map { $0.map(expectedCell) }
        expectTable(readBack.arrow, reader: "pyarrow", names: schema.names,
                    types: schema.fields.map { arrowTypeNames[$0.type]! }, rows: expected, sourceLocation: sourceLocation)
        expectTable(readBack.duckdb, reader: "duckdb", names: schema.names,
                    types: schema.fields.map { duckDBTypeNames[$0.type]! }, rows: expected, sourceLocation: sourceLocation)
    }
}
