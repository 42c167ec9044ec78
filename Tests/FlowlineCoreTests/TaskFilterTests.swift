import Foundation
import Testing
@testable import FlowlineCore

@Suite struct TaskFilterTests {
    /// Ids of the rows that pass `tasks`.
    private func passing(_ tasks: [TaskSpec], _ rows: [[Value]]) throws -> [Value] {
        let out = try run([projection("Id"), map("Id")] + tasks, rows)
        #expect(out.filteredCount + out.batch.count == rows.count)
        return out.batch.rows.map { $0[0] }
    }

    private let quantities = [contact(["Id": .int(1), "Qty": .int(5)]), contact(["Id": .int(2), "Qty": .int(10)]),
                              contact(["Id": .int(3), "Qty": .int(15)]), contact(["Id": .int(4), "Qty": .null])]

    @Test(arguments: [
        ("LESS_THAN", [Value.int(1)]), ("LESS_THAN_OR_EQUAL_TO", [.int(1), .int(2)]), ("GREATER_THAN", [.int(3)]),
        ("GREATER_THAN_OR_EQUAL_TO", [.int(2), .int(3)]), ("EQUAL_TO", [.int(2)]), ("NOT_EQUAL_TO", [.int(1), .int(3)]),
    ])
    func comparisonsOnIntegers(_ op: String, _ ids: [Value]) throws {
        #expect(try passing([filter("Qty", op, ["DATA_TYPE": "integer", "VALUE": "10"])], quantities) == ids)
    }

    @Test func betweenIsInclusive() throws {
        #expect(try passing([filter("Qty", "BETWEEN", ["DATA_TYPE": "integer", "LOWER_BOUND": "5", "UPPER_BOUND": "10"])], quantities) == [.int(1), .int(2)])
    }

    @Test func valuesMeanAnyOfForEqualAndNoneOfForNotEqual() throws {
        #expect(try passing([filter("Qty", "EQUAL_TO", ["DATA_TYPE": "integer", "VALUES": "[5,15]"])], quantities) == [.int(1), .int(3)])
        #expect(try passing([filter("Qty", "NOT_EQUAL_TO", ["DATA_TYPE": "integer", "VALUES": "5,15"])], quantities) == [.int(2)])
    }

    @Test func textHoldingNumbersComparesNumerically() throws {
        let rows = [contact(["Id": .int(1), "Age": .string("9")]), contact(["Id": .int(2), "Age": .string("10")]),
                    contact(["Id": .int(3), "Age": .string("n/a")]), contact(["Id": .int(4), "Age": .string("9.5")])]
        #expect(try passing([filter("Age", "GREATER_THAN", ["DATA_TYPE": "integer", "VALUE": "9"])], rows) == [.int(2), .int(4)])
        // Without DATA_TYPE the field's own type (string) decides: lexicographic.
        #expect(try passing([filter("Age", "GREATER_THAN", ["VALUE": "9"])], rows) == [.int(3), .int(4)])
    }

    @Test func mixedNumericTypesCompareByValue() throws {
        let rows = [contact(["Id": .int(1), "Price": .double(10.5), "Amount": .decimal(Decimal(string: "10.50")!)]),
                    contact(["Id": .int(2), "Price": .double(9.99), "Amount": .decimal(Decimal(string: "9.99")!)])]
        #expect(try passing([filter("Price", "GREATER_THAN", ["DATA_TYPE": "decimal", "VALUE": "10"])], rows) == [.int(1)])
        #expect(try passing([filter("Amount", "EQUAL_TO", ["DATA_TYPE": "double", "VALUE": "10.5"])], rows) == [.int(1)])
    }

    @Test func timestampsCompareAsInstantsWhateverTheirForm() throws {
        let rows = [
            contact(["Id": .int(1), "Created": .timestamp(1_609_459_200_000_000)]),  // 2021-01-01T00:00:00Z
            contact(["Id": .int(2), "Created": .timestamp(1_640_995_200_000_000)]),  // 2022-01-01T00:00:00Z
            contact(["Id": .int(3), "Created": .null]),
        ]
        let epochMillis = filter("Created", "GREATER_THAN_OR_EQUAL_TO", ["DATA_TYPE": "datetime", "VALUE": "1640995200000"])
        let iso = filter("Created", "GREATER_THAN_OR_EQUAL_TO", ["DATA_TYPE": "datetime", "VALUE": "2022-01-01T01:00:00+01:00"])
        #expect(try passing([epochMillis], rows) == [.int(2)])
        #expect(try passing([iso], rows) == [.int(2)])
        let between = filter("Created", "BETWEEN", ["DATA_TYPE": "datetime", "LOWER_BOUND": "1609459200000", "UPPER_BOUND": "2021-12-31T23:59:59Z"])
        #expect(try passing([between], rows) == [.int(1)])
        // Text timestamps in the records are read as instants too.
        let textRows = [contact(["Id": .int(1), "Email": .string("2021-06-01T10:00:00-02:00")]), contact(["Id": .int(2), "Email": .string("not a time")])]
        #expect(try passing([filter("Email", "LESS_THAN", ["DATA_TYPE": "datetime", "VALUE": "1622548800001"])], textRows) == [.int(1)])
    }

    @Test func datesCompareByDay() throws {
        let rows = [contact(["Id": .int(1), "Birthday": .date(10_957)]), contact(["Id": .int(2), "Birthday": .date(10_956)]),
                    contact(["Id": .int(3), "Created": .timestamp(10_957 * 86_400_000_000 + 5)])]
        #expect(try passing([filter("Birthday", "EQUAL_TO", ["DATA_TYPE": "date", "VALUE": "2000-01-01"])], rows) == [.int(1)])
        #expect(try passing([filter("Created", "EQUAL_TO", ["DATA_TYPE": "date", "VALUE": "2000-01-01"])], rows) == [.int(3)])
    }

    @Test func stringsCompareLexicographicallyAndContainsIsSubstring() throws {
        let rows = [contact(["Id": .int(1), "LastName": .string("Adams"), "Email": .string("ann@example.com")]),
                    contact(["Id": .int(2), "LastName": .string("Zhou"), "Email": .string("zhou@corp.example.org")]),
                    contact(["Id": .int(3), "LastName": .string("adams"), "Email": .null])]
        #expect(try passing([filter("LastName", "LESS_THAN", ["DATA_TYPE": "string", "VALUE": "B"])], rows) == [.int(1)])
        #expect(try passing([filter("LastName", "GREATER_THAN", ["VALUE": "Z"])], rows) == [.int(2), .int(3)])
        #expect(try passing([filter("Email", "CONTAINS", ["VALUE": "example.com"])], rows) == [.int(1)])
        #expect(try passing([filter("Email", "CONTAINS", ["VALUES": "[\"example.com\",\"corp.\"]"])], rows) == [.int(1), .int(2)])
        #expect(try passing([filter("Qty", "CONTAINS", ["VALUE": "2"])], [contact(["Id": .int(9), "Qty": .int(123)])]) == [.int(9)])
    }

    @Test func booleans() throws {
        let rows = [contact(["Id": .int(1), "Active": .bool(true)]), contact(["Id": .int(2), "Active": .bool(false)]), contact(["Id": .int(3)])]
        #expect(try passing([filter("Active", "EQUAL_TO", ["DATA_TYPE": "boolean", "VALUE": "true"])], rows) == [.int(1)])
        #expect(try passing([filter("Active", "NOT_EQUAL_TO", ["VALUE": "true"])], rows) == [.int(2)])
    }

    @Test func nullNeverSatisfiesAComparison() throws {
        let rows = [contact(["Id": .int(1), "Email": .null])]
        for op in ["LESS_THAN", "GREATER_THAN", "EQUAL_TO", "NOT_EQUAL_TO", "CONTAINS", "LESS_THAN_OR_EQUAL_TO", "GREATER_THAN_OR_EQUAL_TO"] {
            #expect(try passing([filter("Email", op, ["VALUE": "x"])], rows).isEmpty, "\(op)")
        }
        #expect(try passing([filter("Email", "BETWEEN", ["LOWER_BOUND": "a", "UPPER_BOUND": "z"])], rows).isEmpty)
    }

    @Test func allFiltersMustHold() throws {
        let tasks = [filter("Qty", "GREATER_THAN", ["VALUE": "5"]), filter("Qty", "LESS_THAN", ["VALUE": "15"])]
        #expect(try passing(tasks, quantities) == [.int(2)])
    }

    @Test func criterionMatchesIsUsableOnItsOwn() {
        let c = FilterCriterion(field: "X", op: .between, dataType: .decimal, operands: [.decimal(1), .decimal(2)])
        #expect(c.matches(.int(1)))
        #expect(c.matches(.string("1.5")))
        #expect(c.matches(.double(2.0)))
        #expect(!c.matches(.double(2.01)))
        #expect(!c.matches(.string("two")))
        #expect(!c.matches(.null))
    }
}
