import Foundation
import Testing
import FlowlineCore
@testable import FlowlinePostgres

/// The same records through COPY's text format and its binary format (rows and columnar batches)
/// land as the same values: the server's own text parsing is the reference for the binary forms.
@Suite struct CopyFormatTests {
    static let ddl = """
        (id int8, i2 int2, i4 int4, i8 int8, n numeric, n2 numeric(12,2), r real, d double precision, b boolean,
         dt date, ts timestamptz, tsn timestamp, t text, v varchar(10))
        """

    /// Typed values, text to be parsed, nulls, and the edges of every type.
    static let rows: [[Value]] = [
        [.int(1), .int(-32768), .int(2_147_483_647), .int(.min), .string("123456789012345678901234567890.123456789"), .string("1200.5"),
         .double(0.1), .double(0.30000000000000004), .bool(true), .date(0), .timestamp(0), .timestamp(123_456),
         .string("a\tb\nc\\d\re"), .string("日本語 ✓")],
        [.int(2), .string(" 32767 "), .string("-2147483648"), .string("9223372036854775807"), .string("-0.001"), .string("1e3"),
         .string("nan"), .string("-Infinity"), .string("yes"), .string("2026-02-28"), .string("2026-01-05T12:00:00+02:00"),
         .string("2026-01-05T12:00:00.5Z"), .string(""), .string("")],
        [.int(3), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(4), .int(0), .int(0), .int(0), .string("0.000"), .string("-0"), .double(-0.0), .double(5e-324), .bool(false),
         .date(-719_528), .timestamp(-1), .timestamp(-62_135_596_800_000_000), .string("\\N"), .string("")],
        [.int(5), .int(1), .int(1), .int(1), .string(".5"), .string("+7"), .double(.infinity), .double(-.infinity), .int(1),
         .date(2_932_896), .date(20_000), .timestamp(253_402_300_799_999_999), .int(42), .double(7)],
        [.int(6), .double(12), .string("+12"), .double(-9e15), .string("1e-1000"), .decimal(Decimal(string: "12.345")!),
         .string("3.4028235e38"), .string("1.7976931348623157e308"), .string(" off "), .string("0001-01-01"),
         .string("1970-01-01T00:00:00Z"), .date(-1), .bool(true), .string("äöü")],
        [.int(7), .null, .null, .null, .string("99999999"), .string("9999.9999"), .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(8), .null, .null, .null, .string("10000"), .string("-123.456e-7"), .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(9), .null, .null, .null, .string("-1234567.00001000"), .int(-5), .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(10), .null, .null, .null, .string("NaN"), .string("  0.5  "), .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(11), .null, .null, .null, .string("1.5E+20"), .double(2.5), .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(12), .null, .null, .null, .int(.max), .decimal(Decimal(-3)), .null, .null, .null, .null, .null, .null, .null, .null],
    ]

    /// Only text, as a CSV read without a mapping gives it: every typed column parses it.
    static let textRows: [[Value]] = [
        [.int(20), .string("-12"), .string("7"), .string("-9000000000"), .string("3.14159"), .string("2.5"), .string("1.5"),
         .string("-2.25e-3"), .string("true"), .string("1999-12-31"), .string("2000-01-01T00:00:00.000001Z"),
         .string("2024-02-29T23:59:59Z"), .string("tab\there"), .string("x")],
        [.int(21), .string(" 32767 "), .string("-2147483648"), .string("9223372036854775807"), .string("-0.001"), .string("1e3"),
         .string("nan"), .string("-Infinity"), .string("yes"), .string("2026-02-28"), .string("2026-01-05T12:00:00+02:00"),
         .string("2026-01-05T12:00:00.5Z"), .string(""), .string("")],
        [.int(22), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null],
    ]

    /// One kind per column, as a typed mapping gives it: ints, doubles, dates, timestamps, text.
    static let typedRows: [[Value]] = [
        [.int(30), .int(1), .int(2), .int(3), .int(4), .int(5), .double(1.5), .double(-2.5e-7), .bool(true), .date(19_000),
         .timestamp(1_700_000_000_123_456), .timestamp(-86_400_000_000), .string("x"), .string("y")],
        [.int(31), .null, .int(-7), .null, .int(0), .null, .double(.nan), .null, .bool(false), .date(-1), .null,
         .timestamp(0), .null, .string("")],
    ]

    /// Records the table cannot take: the same refusals in either format.
    static let refusedRows: [[Value]] = [
        [.int(100), .int(40_000), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(101), .null, .null, .null, .string("1,5"), .null, .null, .null, .null, .null, .null, .null, .null, .null],
        [.int(102), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .string("elevenchars")],
        [.int(103), .null, .null, .null, .null, .null, .null, .null, .string("maybe"), .null, .null, .null, .null, .null],
        [.int(104), .null, .null, .null, .null, .null, .null, .null, .null, .string("2026-02-30"), .null, .null, .null, .null],
        [.int(105), .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .null, .string("a\u{0}b"), .null],
    ]

    /// Loads `batch` into a new table through one COPY in the given format; returns the table
    /// and the refusals (batch index, column name).
    private func load(_ batch: RecordBatch, binary: Bool) throws -> (table: String, refused: [String]) {
        let table = TestDatabase.uniqueTable(binary ? "fmtbin" : "fmttxt")
        try TestDatabase.psql("CREATE TABLE \(table) \(Self.ddl)")
        let c = try PostgresConnection(try TestDatabase.settings())
        let name = QualifiedName(schema: nil, name: table)
        let columns = try #require(try TableLayout.existingColumns(name, on: c))
        #expect(columns.allSatisfy { $0.hasBinaryForm })
        var refused: [String] = []
        try c.beginCopy(table: name, columns: columns.map(\.name), binary: binary)
        if binary {
            var encoder = CopyBatchEncoder(CopyBinaryEncoder(), columns: columns)
            encoder.append(batch) { i, col, _ in refused.append("\(i):\(columns[col].name)") }
            try c.putCopyData(CopyBinaryEncoder.header + encoder.encoder.bytes + CopyBinaryEncoder.trailer, table: name)
        } else {
            var encoder = CopyBatchEncoder(CopyTextEncoder(), columns: columns)
            encoder.append(batch) { i, col, _ in refused.append("\(i):\(columns[col].name)") }
            try c.putCopyData(encoder.encoder.bytes, table: name)
        }
        try c.endCopy(failure: nil, table: name)
        return (table, refused)
    }

    private func differences(_ a: String, _ b: String) throws -> String {
        try TestDatabase.psql("""
            SELECT (SELECT count(*) FROM (SELECT * FROM \(a) EXCEPT ALL SELECT * FROM \(b)) x) || '/' ||
                   (SELECT count(*) FROM (SELECT * FROM \(b) EXCEPT ALL SELECT * FROM \(a)) y)
            """)
    }

    /// The same values as a columnar batch: ints, doubles, dates, timestamps and text in their
    /// own buffers where every record has that kind, else one `Value` per record.
    private static func columnar(_ rows: [[Value]]) -> RecordBatch {
        let width = rows[0].count
        var columns: [Column] = []
        for c in 0..<width {
            let values = rows.map { $0[c] }
            let valid = values.map { !$0.isNull }
            let nulls = valid.contains(false) ? valid : nil
            func all<T>(_ pick: (Value) -> T?, placeholder: T) -> [T]? {
                var out: [T] = []
                for v in values {
                    if v.isNull { out.append(placeholder) } else if let x = pick(v) { out.append(x) } else { return nil }
                }
                return out
            }
            if let v = all({ if case .int(let x) = $0 { x } else { nil } }, placeholder: Int64(0)) {
                columns.append(Column(storage: .int(v), valid: nulls, count: values.count))
            } else if let v = all({ if case .double(let x) = $0 { x } else { nil } }, placeholder: Double(0)) {
                columns.append(Column(storage: .double(v), valid: nulls, count: values.count))
            } else if let v = all({ if case .date(let x) = $0 { x } else { nil } }, placeholder: Int32(0)) {
                columns.append(Column(storage: .date(v), valid: nulls, count: values.count))
            } else if let v = all({ if case .timestamp(let x) = $0 { x } else { nil } }, placeholder: Int64(0)) {
                columns.append(Column(storage: .timestamp(v), valid: nulls, count: values.count))
            } else if values.allSatisfy({ if case .string = $0 { true } else { $0.isNull } }) {
                var builder = TextColumnBuilder(capacity: values.count)
                for v in values {
                    if case .string(let s) = v { builder.append(s) } else { builder.appendNull() }
                }
                columns.append(builder.finish())
            } else {
                columns.append(Column(values: values))
            }
        }
        return RecordBatch(schema: Schema((0..<width).map { Field(name: "f\($0)", type: .string) }), columns: columns, count: rows.count)
    }

    private static var schema: Schema { Schema((0..<14).map { Field(name: "f\($0)", type: .string) }) }

    @Test func textAndBinaryFormatsLoadTheSameValues() throws {
        let batch = RecordBatch(schema: Self.schema, rows: Self.rows)
        let text = try load(batch, binary: false), binary = try load(batch, binary: true)
        #expect(text.refused.isEmpty && binary.refused.isEmpty)
        #expect(try TestDatabase.count(binary.table) == Self.rows.count)
        #expect(try differences(text.table, binary.table) == "0/0")
        // The binary numerics read back exactly as the server parses their text.
        let expected = try TestDatabase.psql("""
            SELECT string_agg(x::numeric::text, ' ' ORDER BY o) FROM unnest(ARRAY[
              '123456789012345678901234567890.123456789', '-0.001', '0.000', '.5', '1e-1000', '99999999', '10000',
              '-1234567.00001000', 'NaN', '1.5E+20', '9223372036854775807']) WITH ORDINALITY AS u(x, o)
            """)
        let loaded = try TestDatabase.psql("SELECT string_agg(n::text, ' ' ORDER BY id) FROM \(binary.table) WHERE n IS NOT NULL")
        #expect(loaded == expected)
        let expectedScaled = try TestDatabase.psql("""
            SELECT string_agg(x::numeric(12,2)::text, ' ' ORDER BY o) FROM unnest(ARRAY[
              '1200.5', '1e3', '-0', '+7', '12.345', '9999.9999', '-123.456e-7', '-5', '  0.5  ', '2.5', '-3']) WITH ORDINALITY AS u(x, o)
            """)
        #expect(try TestDatabase.psql("SELECT string_agg(n2::text, ' ' ORDER BY id) FROM \(binary.table)") == expectedScaled)
        // NULL and the empty string stay apart; text survives byte for byte.
        let rows = try TestDatabase.rows("SELECT id, t, v FROM \(binary.table) WHERE id IN (1, 2, 3, 4) ORDER BY id")
        #expect(rows.map { $0["t"] as? String } == ["a\tb\nc\\d\re", "", nil, "\\N"])
        #expect(rows.map { $0["v"] as? String } == ["日本語 ✓", "", nil, ""])
        #expect(try TestDatabase.psql("SELECT dt::text || ' ' || tsn::text FROM \(binary.table) WHERE id = 4") == "0001-01-01 BC 0001-01-01 00:00:00")
    }

    @Test(arguments: ["mixed", "text", "typed"])
    func columnarBatchesLoadTheSameValuesAsRows(kind: String) throws {
        let records = kind == "text" ? Self.textRows : kind == "typed" ? Self.typedRows : Self.rows
        let rows = try load(RecordBatch(schema: Self.schema, rows: records), binary: false)
        let batch = Self.columnar(records)
        let kinds = (batch.columns ?? []).map { column -> String in
            switch column.storage {
            case .text: "text"
            case .int: "int"
            case .double, .date, .timestamp: "typed"
            case .values: "values"
            }
        }
        #expect(kinds.contains(kind == "mixed" ? "values" : kind), "\(kinds)")
        let binary = try load(batch, binary: true), text = try load(batch, binary: false)
        #expect(try TestDatabase.count(binary.table) == records.count)
        #expect(try differences(rows.table, binary.table) == "0/0")
        #expect(try differences(rows.table, text.table) == "0/0")
    }

    /// Wider than the encoder pins at once (it falls back to rows there): every value still lands.
    @Test(arguments: [false, true])
    func aWideColumnarBatchLoadsEveryValue(binary: Bool) throws {
        let width = 600, count = 50
        let table = TestDatabase.uniqueTable("wide")
        try TestDatabase.psql("CREATE TABLE \(table) (" + (0..<width).map { "c\($0) int8" }.joined(separator: ", ") + ")")
        let c = try PostgresConnection(try TestDatabase.settings())
        let name = QualifiedName(schema: nil, name: table)
        let columns = try #require(try TableLayout.existingColumns(name, on: c))
        let data = (0..<width).map { col in Column(storage: .int((0..<count).map { Int64(col * 1000 + $0) }), valid: nil, count: count) }
        let batch = RecordBatch(schema: Schema((0..<width).map { Field(name: "c\($0)", type: .int) }), columns: data, count: count)
        var refused = 0
        try c.beginCopy(table: name, columns: columns.map(\.name), binary: binary)
        if binary {
            var encoder = CopyBatchEncoder(CopyBinaryEncoder(), columns: columns)
            encoder.append(batch) { _, _, _ in refused += 1 }
            try c.putCopyData(CopyBinaryEncoder.header + encoder.encoder.bytes + CopyBinaryEncoder.trailer, table: name)
        } else {
            var encoder = CopyBatchEncoder(CopyTextEncoder(), columns: columns)
            encoder.append(batch) { _, _, _ in refused += 1 }
            try c.putCopyData(encoder.encoder.bytes, table: name)
        }
        try c.endCopy(failure: nil, table: name)
        #expect(refused == 0)
        #expect(width > CopyBatchEncoder<CopyTextEncoder>.widestPinnedBatch)
        #expect(try TestDatabase.psql("SELECT count(*) || ' ' || sum(c0) || ' ' || sum(c599) FROM \(table)")
                == "\(count) \((0..<count).reduce(0, +)) \((0..<count).map { 599_000 + $0 }.reduce(0, +))")
    }

    @Test func bothFormatsRefuseTheSameRecords() throws {
        let expected = ["0:i2", "1:n", "2:v", "3:b", "4:dt", "5:t"]
        for batch in [RecordBatch(schema: Self.schema, rows: Self.refusedRows + Self.rows), Self.columnar(Self.refusedRows + Self.rows)] {
            let text = try load(batch, binary: false), binary = try load(batch, binary: true)
            #expect(text.refused == expected)
            #expect(binary.refused == expected)
            #expect(try TestDatabase.count(binary.table) == Self.rows.count)
            #expect(try differences(text.table, binary.table) == "0/0")
        }
    }

    @Test func numericTextIsTakenApartIntoBase10000Digits() throws {
        func parts(_ s: String) -> (digits: [Int16], weight: Int, displayScale: Int)? {
            var s = s
            return s.withUTF8 { NumericText($0)?.binaryParts() }
        }
        #expect(parts("1200.50")! == ([1200, 5000], 0, 2))
        #expect(parts("0.001")! == ([10], -1, 3))
        #expect(parts("1e5")! == ([10], 1, 0))
        #expect(parts("-0")! == ([], 0, 0))
        #expect(parts("12345678.9")! == ([1234, 5678, 9000], 1, 1))
        #expect(parts("1e2000") == nil)
        var bad = "1.2.3"
        #expect(bad.withUTF8 { NumericText($0) } == nil)
    }
}
