import Foundation
import Testing
import FlowlineCore
import FlowlineFormats

/// Row groups, data pages and dictionary fallback, checked in the footer and by walking page headers.
@Suite struct ParquetWriterLayoutTests {
    static let schema = Schema([
        Field(name: "id", type: .int),
        Field(name: "account_id", type: .string),   // unique per row: outgrows the dictionary
        Field(name: "stage", type: .string),        // five values: stays dictionary-encoded
        Field(name: "amount", type: .decimal),
        Field(name: "score", type: .double),
        Field(name: "closed", type: .bool),
        Field(name: "close_date", type: .date),
        Field(name: "modified_at", type: .timestamp),
    ])

    static func rows(_ count: Int) -> [[Value]] {
        let stages = ["Prospecting", "Qualification", "Proposal", "Closed Won", "Closed Lost"]
        return (0..<count).map { i -> [Value] in
            func unlessEvery(_ n: Int, _ value: Value) -> Value { i % n == 0 ? .null : value }
            let id = Value.int(Int64(i) * 7919 - 5_000_000)
            let account = Value.string("0015g00000" + String(i, radix: 36) + "ÄÖ")
            let stage = Value.string(stages[i % stages.count])
            let amount = Value.decimal(Decimal(i) / Decimal(8) - Decimal(1000))
            let score = Value.double(Double(i) * 0.25 - 100)
            let closed = Value.bool(i % 3 == 0)
            let closeDate = Value.date(Int32(i % 40_000) - 20_000)
            let modified = Value.timestamp(Int64(i) * 1_000_003 - 1_000_000_000_000)
            return [unlessEvery(97, id), unlessEvery(89, account), unlessEvery(83, stage), unlessEvery(79, amount),
                    unlessEvery(73, score), unlessEvery(71, closed), unlessEvery(67, closeDate), unlessEvery(61, modified)]
        }
    }

    @Test("small rowGroupBytes and pageBytes give several row groups of several pages, all read back")
    func severalRowGroupsAndPages() throws {
        let rows = Self.rows(30_000)
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let options = ParquetWriterOptions(compression: .zstd, rowGroupBytes: 256 * 1024, pageBytes: 8 * 1024,
                                           pageRows: 2000, dictionaryPageBytes: 16 * 1024)
        let summary = try ParquetTestSupport.write(rows, schema: Self.schema, to: path, options: options, batchSize: 2500)
        let readBack = try ParquetReadBack.read(path)
        ParquetTestSupport.expectBothReaders(readBack, schema: Self.schema, rows: rows)

        let groups = readBack.metadata.rowGroups
        #expect(groups.count > 1)
        #expect(summary.rowGroups == groups.count)
        #expect(groups.map(\.numRows).reduce(0, +) == rows.count)
        for group in groups {
            for column in group.columns {
                // Pages end at 2000 values or 8 KiB, whichever comes first.
                #expect(column.dataPageValueCounts.count >= (group.numRows + 1999) / 2000)
                #expect(column.dataPageValueCounts.allSatisfy { $0 <= 2000 })
                #expect(column.dataPageValueCounts.reduce(0, +) == group.numRows)
                #expect(column.numValues == group.numRows)
            }
        }
        // The unique ids outgrow a 16 KiB dictionary: dictionary pages first, then PLAIN pages.
        let first = groups[0].columns
        #expect(first.allSatisfy { $0.dataPageValueCounts.count > 1 })
        #expect(first[1].dataPageValueCounts.count > (groups[0].numRows + 1999) / 2000, "8 KiB pages of long strings")
        #expect(first[1].hasDictionaryPage)
        #expect(first[1].pageTypes.first == 2)
        #expect(first[1].encodings.contains("RLE_DICTIONARY") && first[1].encodings.contains("PLAIN"))
        // Later row groups remember the fallback and skip the dictionary.
        #expect(groups.dropFirst().allSatisfy { !$0.columns[1].hasDictionaryPage })
        // The repetitive column keeps one dictionary page per row group and only index pages.
        for group in groups {
            let stage = group.columns[2]
            #expect(stage.hasDictionaryPage)
            #expect(stage.pageTypes.filter { $0 == 2 }.count == 1)
            #expect(stage.encodings.contains("RLE_DICTIONARY"))
        }
    }

    @Test("rowGroupRows caps each row group exactly")
    func rowGroupRowCap() throws {
        let rows = Self.rows(25_000)
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        let summary = try ParquetTestSupport.write(rows, schema: Self.schema, to: path,
                                                   options: ParquetWriterOptions(rowGroupRows: 10_000), batchSize: 3000)
        #expect(summary.rowGroups == 3)
        let readBack = try ParquetReadBack.read(path)
        #expect(readBack.metadata.rowGroups.map(\.numRows) == [10_000, 10_000, 5_000])
        #expect(readBack.metadata.rowGroups.allSatisfy { $0.columns.allSatisfy { $0.compression == "SNAPPY" } })
        ParquetTestSupport.expectBothReaders(readBack, schema: Self.schema, rows: rows)
    }

    @Test("a column chunk with only nulls, and one-value pages, read back")
    func allNullColumnsAndTinyPages() throws {
        let schema = Schema([Field(name: "nothing", type: .string), Field(name: "n", type: .int),
                             Field(name: "d", type: .decimal)])
        let rows: [[Value]] = (0..<50).map { i in [.null, i % 2 == 0 ? .null : .int(Int64(i)), .null] }
        let path = try ParquetTestSupport.temporaryPath()
        defer { ParquetTestSupport.removeDirectory(of: path) }
        try ParquetTestSupport.write(rows, schema: schema, to: path,
                                     options: ParquetWriterOptions(compression: .uncompressed, pageRows: 1))
        let readBack = try ParquetReadBack.read(path)
        ParquetTestSupport.expectBothReaders(readBack, schema: schema, rows: rows)
        let columns = try #require(readBack.metadata.rowGroups.first).columns
        #expect(columns.map(\.nullCount) == [50, 25, 50])
        #expect(columns.allSatisfy { $0.dataPageValueCounts == Array(repeating: 1, count: 50) })
    }
}
