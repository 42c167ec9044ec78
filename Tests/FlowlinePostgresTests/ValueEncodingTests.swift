import Foundation
import Testing
import FlowlineCore
@testable import FlowlinePostgres

/// Values checked and converted against their target column before they reach COPY.
@Suite struct ValueEncodingTests {
    private func encode(_ value: Value, _ kind: TargetColumn.Kind, notNull: Bool = false) -> (text: String?, refusal: String?) {
        var e = CopyTextEncoder()
        let refusal = e.append(value, for: TargetColumn(name: "c", typeName: "t", kind: kind, notNull: notNull))
        return (refusal == nil ? String(decoding: e.bytes, as: UTF8.self) : nil, refusal)
    }

    @Test func textIsEscapedAndNullIsBackslashN() {
        var e = CopyTextEncoder()
        e.append(row: [.string("a\tb\nc\\d\re"), .null, .string(""), .bool(true), .int(-3), .double(.infinity)])
        #expect(String(decoding: e.bytes, as: UTF8.self) == "a\\tb\\nc\\\\d\\re\t\\N\t\tt\t-3\tInfinity\n")
    }

    @Test func integersAreCheckedAgainstTheColumnRange() {
        let int2 = TargetColumn.kind(typname: "int2", typmod: -1)
        #expect(encode(.string(" 42 "), int2).text == "42")
        #expect(encode(.int(40_000), int2).refusal != nil)
        #expect(encode(.string("4.5"), .integer(min: .min, max: .max)).refusal == "value '4.5' is not a valid t")
        #expect(encode(.double(7), .integer(min: .min, max: .max)).text == "7")
    }

    @Test func numbersBooleansDatesAndTimestampsAreNormalised() {
        #expect(encode(.string("-1.5e3"), .numeric).text == "-1.5e3")
        #expect(encode(.string("1,5"), .numeric).refusal != nil)
        #expect(encode(.string("nan"), .float(single: false)).text == "NaN")
        #expect(encode(.string("YES"), .bool).text == "t")
        #expect(encode(.string("maybe"), .bool).refusal != nil)
        #expect(encode(.string("2026-02-30"), .date).refusal != nil)
        #expect(encode(.string("2026-01-05T12:00:00+02:00"), .timestamp).text == "2026-01-05T10:00:00Z")
        #expect(encode(.date(0), .timestamp).text == "1970-01-01T00:00:00Z")
    }

    @Test func lengthNulAndNotNullAreCaught() {
        let varchar3 = TargetColumn.kind(typname: "varchar", typmod: 7)
        #expect(encode(.string("äöü"), varchar3).text == "äöü")
        #expect(encode(.string("abcd"), varchar3).refusal == "4 characters exceed the column's 3")
        #expect(encode(.string("a\u{0}b"), .text(maxLength: nil)).refusal?.contains("NUL") == true)
        #expect(encode(.null, .text(maxLength: nil), notNull: true).refusal == "null in a NOT NULL column")
    }

    @Test func mergeStatementQuotesEveryIdentifierAndKeepsTheLastRecordOfAKey() {
        let sql = MergeStatement(target: QualifiedName(schema: "s", name: "T\"x"), stage: QualifiedName(schema: nil, name: "stage"),
                                 columns: ["id", "Name"], keys: ["id"], operation: .upsert).sql
        #expect(sql.contains(#"MERGE INTO "s"."T""x" AS t"#))
        #expect(sql.contains(#"SELECT DISTINCT ON ("id") "id", "Name" FROM "stage""#))
        #expect(sql.contains(#"ORDER BY "id", "__flowline_ordinal" DESC"#))
        #expect(sql.contains(#"WHEN MATCHED THEN UPDATE SET "Name" = s."Name""#))
        #expect(sql.contains(#"WHEN NOT MATCHED THEN INSERT ("id", "Name") VALUES (s."id", s."Name")"#))
        let delete = MergeStatement(target: QualifiedName(schema: nil, name: "t"), stage: QualifiedName(schema: nil, name: "st"),
                                    columns: ["id"], keys: ["id"], operation: .delete).sql
        #expect(delete.hasSuffix("WHEN MATCHED THEN DELETE"))
    }
}
