import Foundation
import Testing
@testable import FlowlineCore

@Suite struct TaskApplyTests {
    @Test func mapAllPassesEveryFieldUnchanged() throws {
        let rows = [contact(["Id": .int(1), "Email": .string("a@x.io"), "Amount": .decimal(Decimal(string: "1.10")!)]), contact(["Id": .int(2)])]
        let out = try run([mapAll], rows)
        #expect(out.batch.schema == contactsSchema)
        #expect(out.batch.rows == rows)
        #expect(out.rejected.isEmpty)
    }

    @Test func mapRenamesAndConverts() throws {
        let tasks = [projection("Id", "Age", "Created"), map("Id", to: "ContactId"), map("Age", to: "Years", ["DESTINATION_DATA_TYPE": "integer"]),
                     map("Created", to: "CreatedText", ["DESTINATION_DATA_TYPE": "string"])]
        let out = try run(tasks, [contact(["Id": .int(7), "Age": .string(" 42 "), "Created": .timestamp(1_000_000)])])
        #expect(out.batch.schema.names == ["ContactId", "Years", "CreatedText"])
        #expect(out.batch.rows == [[.int(7), .int(42), .string("1970-01-01T00:00:01Z")]])
    }

    @Test func failedConversionRejectsTheRecordWithAReason() throws {
        let tasks = [projection("Id", "Age"), map("Id"), map("Age", ["DESTINATION_DATA_TYPE": "integer"])]
        let rows = [contact(["Id": .int(1), "Age": .string("30")]), contact(["Id": .int(2), "Age": .string("abc")]),
                    contact(["Id": .int(3), "Age": .null])]
        let out = try run(tasks, rows)
        #expect(out.batch.rows == [[.int(1), .int(30)], [.int(3), .null]])
        #expect(out.rejectedRows == [1])
        let rejected = try #require(out.rejected.first)
        #expect(rejected.reason == "Task 3 (Map): field 'Age' value 'abc' cannot be converted to int")
        #expect(rejected.location == "record 2 of its batch")
        #expect(rejected.values == rows[1].map(\.text))
        #expect(rejected.values[0] == "2")
    }

    @Test(arguments: [
        (Value.string("2024-03-10T12:00:00Z"), "datetime", Value.timestamp(1_710_072_000_000_000)),
        (.string("1710072000000"), "datetime", .timestamp(1_710_072_000_000_000)),
        (.int(1_710_072_000_000), "timestamp", .timestamp(1_710_072_000_000_000)),
        (.date(1), "datetime", .timestamp(86_400_000_000)),
        (.string("2024-03-10"), "date", .date(19_792)),
        (.timestamp(-1), "date", .date(-1)),
        (.string("TRUE"), "boolean", .bool(true)),
        (.int(0), "boolean", .bool(false)),
        (.double(3.0), "integer", .int(3)),
        (.string("0.1"), "decimal", .decimal(Decimal(string: "0.1")!)),
        (.double(0.1), "decimal", .decimal(Decimal(string: "0.1")!)),
        (.string("1e3"), "double", .double(1000)),
        (.decimal(Decimal(string: "12")!), "integer", .int(12)),
        (.int(5), "string", .string("5")),
        (.bool(true), "string", .string("true")),
    ])
    func conversions(_ input: Value, _ type: String, _ expected: Value) throws {
        let schema = Schema([Field(name: "X", type: input.fieldType ?? .string)])
        let plan = try TaskPlan.compile([projection("X"), map("X", ["DESTINATION_DATA_TYPE": type])], sourceSchema: schema)
        let out = try plan.apply(RecordBatch(schema: schema, rows: [[input]]))
        #expect(out.batch.rows == [[expected]])
    }

    @Test(arguments: [
        (Value.double(3.5), "integer"), (.string("12abc"), "decimal"), (.string("nan"), "double"), (.string("yes please"), "boolean"),
        (.string("2024-02-30"), "date"), (.string("soon"), "datetime"), (.bool(true), "integer"), (.int(2), "boolean"),
        (.string("99999999999999999999"), "integer"), (.date(3), "integer"),
    ])
    func impossibleConversionsReject(_ input: Value, _ type: String) throws {
        let schema = Schema([Field(name: "X", type: input.fieldType ?? .string)])
        let plan = try TaskPlan.compile([projection("X"), map("X", ["DESTINATION_DATA_TYPE": type])], sourceSchema: schema)
        let out = try plan.apply(RecordBatch(schema: schema, rows: [[input]]))
        #expect(out.batch.rows.isEmpty)
        #expect(out.rejected.count == 1)
    }

    @Test func mergeFillsTheFormatAndNullsBecomeEmpty() throws {
        let merge = TaskSpec(taskType: "Merge", sourceFields: ["FirstName", "LastName", "Qty"], connectorOperator: "NO_OP", destinationField: "Label",
                             properties: ["CONCAT_FORMAT": "${LastName}, ${FirstName} ($${Qty} each, 100% $)"])
        let out = try run([projection("FirstName"), merge], [
            contact(["FirstName": .string("Ada"), "LastName": .string("Lovelace"), "Qty": .int(3)]),
            contact(["FirstName": .null, "LastName": .string("Hopper"), "Qty": .null]),
        ])
        #expect(try column(out, "Label") == [.string("Lovelace, Ada ($3 each, 100% $)"), .string("Hopper,  ($ each, 100% $)")])
    }

    @Test(arguments: [
        ("ADDITION", Value.decimal(12)), ("SUBTRACTION", .decimal(8)), ("MULTIPLICATION", .decimal(20)), ("DIVISION", .decimal(5)),
    ])
    func arithmeticOnIntegersIsExact(_ op: String, _ expected: Value) throws {
        let task = TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Age"], connectorOperator: op, destinationField: "R")
        let out = try run([projection("Qty"), task], [contact(["Qty": .int(10), "Age": .string("2")])])
        #expect(try column(out, "R") == [expected])
    }

    @Test func arithmeticFollowsTheFieldsOrderProperty() throws {
        let task = TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Age"], connectorOperator: "DIVISION", destinationField: "R",
                            properties: ["MATH_OPERATION_FIELDS_ORDER": "[\"Age\",\"Qty\"]"])
        let out = try run([projection("Qty"), task], [contact(["Qty": .int(4), "Age": .string("2")])])
        #expect(try column(out, "R") == [.decimal(Decimal(string: "0.5")!)])
    }

    @Test func arithmeticWithADoubleYieldsDouble() throws {
        let task = TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Price"], connectorOperator: "MULTIPLICATION", destinationField: "Total")
        let out = try run([projection("Qty"), task], [contact(["Qty": .int(3), "Price": .double(1.5)])])
        #expect(try column(out, "Total") == [.double(4.5)])
    }

    @Test func divisionByZeroAndNullOperandsGiveNull() throws {
        let task = TaskSpec(taskType: "Arithmetic", sourceFields: ["Amount", "Qty"], connectorOperator: "DIVISION", destinationField: "Each")
        let double = TaskSpec(taskType: "Arithmetic", sourceFields: ["Price", "Qty"], connectorOperator: "DIVISION", destinationField: "EachD")
        let out = try run([projection("Id"), task, double], [
            contact(["Amount": .decimal(10), "Price": .double(1), "Qty": .int(0)]),
            contact(["Amount": .null, "Price": .null, "Qty": .int(2)]),
            contact(["Amount": .decimal(10), "Price": .double(3), "Qty": .int(4)]),
        ])
        #expect(out.rejected.isEmpty)
        #expect(try column(out, "Each") == [.null, .null, .decimal(Decimal(string: "2.5")!)])
        #expect(try column(out, "EachD") == [.null, .null, .double(0.75)])
    }

    @Test func arithmeticOnTextThatIsNotANumberRejects() throws {
        let task = TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Age"], connectorOperator: "ADDITION", destinationField: "R")
        let out = try run([projection("Qty"), task], [contact(["Qty": .int(1), "Age": .string("old")])])
        #expect(out.batch.rows.isEmpty)
        #expect(out.rejected.map(\.reason) == ["Task 2 (Arithmetic): field 'Age' value 'old' is not a number"])
    }

    @Test func passthroughCopiesUnchanged() throws {
        let out = try run([projection("Amount"), TaskSpec(taskType: "Passthrough", sourceFields: ["Amount"], destinationField: "Copy")],
                          [contact(["Amount": .decimal(Decimal(string: "1.005")!)])])
        #expect(out.batch.schema.fields == [Field(name: "Copy", type: .decimal)])
        #expect(out.batch.rows == [[.decimal(Decimal(string: "1.005")!)]])
    }

    @Test func partitionCarriesKeysAndLeavesRecordsAlone() throws {
        let tasks = [mapAll, TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Active\",\"Id\"]"])]
        let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
        #expect(plan.partitionKeys == ["Active", "Id"])
        let rows = [contact(["Id": .int(1), "Active": .bool(true)])]
        #expect(try plan.apply(RecordBatch(schema: contactsSchema, rows: rows)).batch.rows == rows)
    }

    @Test func batchesWithOnlyTheProjectedFieldsAreRemappedByName() throws {
        let tasks = [projection("Id", "Email", "Qty"), map("Id"), map("Email"), filter("Qty", "GREATER_THAN", ["VALUE": "1"])]
        let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
        let narrow = Schema([Field(name: "Qty", type: .int), Field(name: "Email", type: .string), Field(name: "Id", type: .int)])
        let out = try plan.apply(RecordBatch(schema: narrow, rows: [[.int(5), .string("a@x"), .int(1)], [.int(0), .string("b@x"), .int(2)]]))
        #expect(out.batch.rows == [[.int(1), .string("a@x")]])
        #expect(out.filteredCount == 1)

        let missing = Schema([Field(name: "Id", type: .int), Field(name: "Email", type: .string)])
        #expect(throws: TaskRunError.missingField(name: "Qty")) {
            try plan.apply(RecordBatch(schema: missing, rows: []))
        }
    }

    @Test func aShortRowIsAnErrorNotACrash() throws {
        let plan = try TaskPlan.compile([mapAll], sourceSchema: contactsSchema)
        #expect(throws: TaskRunError.rowWidthMismatch(row: 0, expected: 12, actual: 1)) {
            try plan.apply(RecordBatch(schema: contactsSchema, rows: [[.int(1)]]))
        }
    }
}
