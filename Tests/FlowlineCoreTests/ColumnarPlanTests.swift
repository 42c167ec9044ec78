import Foundation
import Testing
@testable import FlowlineCore

/// The columnar path of a plan gives exactly what the row path gives: values, rejections, reasons.
@Suite struct ColumnarPlanTests {
    /// Texts for every conversion the fast path takes, and the ones it hands to `ValueConversion`.
    static let texts: [String?] = [
        "0", "42", " 42 ", "-7", "+3", "007", "1.0", "1.5", "1e3", "99999999999999999999", "0.4161", "123.45", "abc", "",
        nil, "2024-03-10", " 2024-03-10\t", "2024-02-30", "2024-03-10T12:00:00Z", "2024-03-10 12:00:00.5+02:00",
        "1710072000000", "true", "nan", "Zoë", "TRUE",
    ]

    static let schema = Schema([Field(name: "Id", type: .string), Field(name: "X", type: .string), Field(name: "Y", type: .string)])

    static func batch() -> (rows: [[Value]], columnar: RecordBatch) {
        var ids = TextColumnBuilder(capacity: texts.count), xs = TextColumnBuilder(capacity: texts.count)
        var ys = TextColumnBuilder(capacity: texts.count)
        var rows: [[Value]] = []
        for (i, text) in texts.enumerated() {
            ids.append(String(i))
            if let text { xs.append(text) } else { xs.appendNull() }
            // Y holds the texts in reverse, so a record can fail on X, on Y, or on both.
            let y = texts[texts.count - 1 - i]
            if let y { ys.append(y) } else { ys.appendNull() }
            rows.append([.string(String(i)), text.map(Value.string) ?? .null, y.map(Value.string) ?? .null])
        }
        return (rows, RecordBatch(schema: schema, columns: [ids.finish(), xs.finish(), ys.finish()], count: texts.count))
    }

    @Test(arguments: ["integer", "double", "date", "datetime", "boolean", "decimal", "string"])
    func sameAsRows(_ type: String) throws {
        let tasks = [projection("Id", "X", "Y"), map("Id"), map("X", ["DESTINATION_DATA_TYPE": type]),
                     map("Y", to: "Why", ["DESTINATION_DATA_TYPE": type])]
        let plan = try TaskPlan.compile(tasks, sourceSchema: Self.schema)
        let (rows, columnar) = Self.batch()
        let byRows = try plan.apply(RecordBatch(schema: Self.schema, rows: rows))
        let byColumns = try #require(plan.applyColumns(columnar))
        #expect(byColumns.batch.columns != nil)
        #expect(byColumns.batch.schema == byRows.batch.schema)
        #expect(byColumns.batch.rows == byRows.batch.rows)
        #expect(byColumns.rejected == byRows.rejected)
        #expect(byColumns.rejectedRows == byRows.rejectedRows)
        #expect(byColumns.filteredCount == byRows.filteredCount)
        #expect(!byRows.batch.rows.isEmpty)
    }

    @Test func plansThatDoMoreThanCopyAndConvertTakeTheRowPath() throws {
        let (_, columnar) = Self.batch()
        let filtered = try TaskPlan.compile([projection("Id", "X"), filter("X", "EQUAL_TO", ["DATA_TYPE": "string", "VALUE": "42"]),
                                             map("Id"), map("X")], sourceSchema: Self.schema)
        #expect(filtered.applyColumns(columnar) == nil)
        let plain = try TaskPlan.compile([projection("Id"), map("Id")], sourceSchema: Self.schema)
        #expect(plain.applyColumns(RecordBatch(schema: Self.schema, rows: Self.batch().rows)) == nil)
    }
}
