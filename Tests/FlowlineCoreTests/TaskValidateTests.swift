import Foundation
import Testing
@testable import FlowlineCore

@Suite struct TaskValidateTests {
    private func validate(_ field: String, _ op: String, _ action: String? = nil, destination: String? = nil) -> TaskSpec {
        TaskSpec(taskType: "Validate", sourceFields: [field], connectorOperator: op, destinationField: destination,
                 properties: action.map { ["VALIDATION_ACTION": $0] } ?? [:])
    }

    private let rows = [
        contact(["Id": .int(1), "Qty": .int(3), "Age": .string("12")]),
        contact(["Id": .int(2), "Qty": .int(0), "Age": .string("-4")]),
        contact(["Id": .int(3), "Qty": .int(-2), "Age": .string("twelve")]),
        contact(["Id": .int(4), "Qty": .null, "Age": .null]),
    ]

    private func ids(_ out: TaskOutput) -> [Value] { out.batch.rows.map { $0[0] } }

    @Test(arguments: [
        ("Qty", "VALIDATE_NON_NULL", [1, 2, 3]), ("Qty", "VALIDATE_NON_ZERO", [1, 3, 4]), ("Qty", "VALIDATE_NON_NEGATIVE", [1, 2, 4]),
        ("Age", "VALIDATE_NUMERIC", [1, 2, 4]), ("Age", "VALIDATE_NON_NEGATIVE", [1, 4]), ("Age", "VALIDATE_NON_ZERO", [1, 2, 4]),
    ])
    func rulesDropFailingRecordsByDefault(_ field: String, _ op: String, _ kept: [Int]) throws {
        let out = try run([projection("Id", field), validate(field, op)], rows)
        #expect(ids(out) == kept.map { .int(Int64($0)) })
        #expect(out.rejected.count == rows.count - kept.count)
        #expect(Set(out.rejectedRows).isDisjoint(with: kept.map { $0 - 1 }))
    }

    @Test func dropRecordReasonNamesTaskFieldAndValue() throws {
        let out = try run([mapAll, validate("Qty", "VALIDATE_NON_NEGATIVE", "DropRecord")], rows)
        #expect(out.rejected.map(\.reason) == ["Task 2 (Validate): field 'Qty' value '-2' fails VALIDATE_NON_NEGATIVE"])
        #expect(out.rejectedRows == [2])
        #expect(out.rejected[0].values == rows[2].map(\.text))
    }

    @Test func terminateFlowThrows() throws {
        let plan = try TaskPlan.compile([mapAll, validate("Qty", "VALIDATE_NON_NULL", "TerminateFlow")], sourceSchema: contactsSchema)
        #expect(throws: TaskRunError.terminated(reason: "record 4 of its batch: Task 2 (Validate): field 'Qty' value null fails VALIDATE_NON_NULL")) {
            try plan.apply(RecordBatch(schema: contactsSchema, rows: rows))
        }
        #expect(try plan.apply(RecordBatch(schema: contactsSchema, rows: Array(rows.prefix(3)))).batch.count == 3)
    }

    @Test func noOpKeepsTheRecord() throws {
        let out = try run([mapAll, validate("Qty", "VALIDATE_NON_NULL", "NoOp")], rows)
        #expect(out.batch.count == 4)
        #expect(out.rejected.isEmpty)
    }

    @Test func validatesAnUnmappedSourceField() throws {
        let out = try run([projection("Id"), map("Id"), validate("Age", "VALIDATE_NUMERIC")], rows)
        #expect(out.batch.schema.names == ["Id"])
        #expect(ids(out) == [.int(1), .int(2), .int(4)])
    }
}

@Suite struct TaskOrderTests {
    /// Filters see source values, before any mask.
    @Test func filterRunsBeforeMask() throws {
        let tasks = [projection("Email"), map("Email"),
                     TaskSpec(taskType: "Mask", sourceFields: ["Email"], connectorOperator: "MASK_ALL"),
                     filter("Email", "CONTAINS", ["VALUE": "@example.com"])]
        let out = try run(tasks, [contact(["Email": .string("a@example.com")]), contact(["Email": .string("b@other.org")])])
        #expect(out.batch.rows == [[.string("*************")]])
        #expect(out.filteredCount == 1)
    }

    /// Validate sees the masked, converted output value.
    @Test func validateRunsAfterMapAndMask() throws {
        let tasks = [projection("Age"), map("Age", ["DESTINATION_DATA_TYPE": "integer"]),
                     TaskSpec(taskType: "Validate", sourceFields: ["Age"], connectorOperator: "VALIDATE_NUMERIC"),
                     TaskSpec(taskType: "Mask", sourceFields: ["Age"], connectorOperator: "MASK_FIRST_N", properties: ["MASK_LENGTH": "1"])]
        let out = try run(tasks, [contact(["Age": .string("42")])])
        #expect(out.batch.rows.isEmpty)
        #expect(out.rejected.map(\.reason) == ["Task 3 (Validate): field 'Age' value '*2' fails VALIDATE_NUMERIC"])
    }

    /// A conversion failure rejects before any validation runs, and filtered records are never rejected.
    @Test func filteredRecordsAreNotConvertedOrValidated() throws {
        let tasks = [projection("Age", "Qty"), map("Age", ["DESTINATION_DATA_TYPE": "integer"]),
                     filter("Qty", "GREATER_THAN", ["VALUE": "0"]),
                     TaskSpec(taskType: "Validate", sourceFields: ["Age"], connectorOperator: "VALIDATE_NON_NULL", properties: ["VALIDATION_ACTION": "TerminateFlow"])]
        let out = try run(tasks, [contact(["Age": .string("x"), "Qty": .int(0)]), contact(["Age": .string("x"), "Qty": .int(1)]),
                                  contact(["Age": .string("7"), "Qty": .int(1)])])
        #expect(out.filteredCount == 1)
        #expect(out.rejectedRows == [1])
        #expect(out.batch.rows == [[.int(7)]])
    }

    /// Several Mask/Truncate tasks on one field apply in task order.
    @Test func rewritesApplyInTaskOrder() throws {
        let truncate = TaskSpec(taskType: "Truncate", sourceFields: ["Phone"], properties: ["TRUNCATE_LENGTH": "4"])
        let mask = TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: "MASK_LAST_N", properties: ["MASK_LENGTH": "2"])
        let rows = [contact(["Phone": .string("5551234")])]
        #expect(try run([projection("Phone"), map("Phone"), truncate, mask], rows).batch.rows == [[.string("55**")]])
        #expect(try run([projection("Phone"), map("Phone"), mask, truncate], rows).batch.rows == [[.string("5551")]])
    }
}
