import Testing
@testable import FlowlineCore

@Suite struct TaskCompileTests {
    @Test func unknownSourceFieldListsKnownFields() throws {
        let error = try #require(compileError([mapAll, map("Foo", to: "Bar")]))
        #expect(error.code == .unknownSourceField)
        #expect(error.field == "Foo")
        #expect(error.description == "Task 2 (Map): source field 'Foo' does not exist in the source; known fields: "
            + "Id, FirstName, LastName, Email, Age, Amount, Price, Qty, … (4 more)")
    }

    @Test func unknownSourceFieldSuggestsANearMatch() throws {
        let error = try #require(compileError([projection("Id", "email")]))
        #expect(error.description.hasPrefix("Task 1 (Filter): source field 'email' does not exist in the source; did you mean 'Email'? known fields: Id,"))
    }

    @Test(arguments: [
        [mapAll, filter("Nope", "EQUAL_TO", ["VALUE": "1"])],
        [TaskSpec(taskType: "Map_all", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[\"Nope\"]"])],
        [mapAll, TaskSpec(taskType: "Merge", sourceFields: ["FirstName", "Nope"], destinationField: "M", properties: ["CONCAT_FORMAT": "${FirstName}"])],
        [mapAll, TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Nope"], connectorOperator: "ADDITION", destinationField: "T")],
        [mapAll, TaskSpec(taskType: "Validate", sourceFields: ["Nope"], connectorOperator: "VALIDATE_NON_NULL")],
        [projection("Id"), TaskSpec(taskType: "Passthrough", sourceFields: ["Nope"])],
        [mapAll, TaskSpec(taskType: "Mask", sourceFields: ["Nope"], connectorOperator: "MASK_ALL", destinationField: "Masked")],
    ])
    func everyKindOfFieldReferenceIsChecked(_ tasks: [TaskSpec]) throws {
        #expect(checkError(tasks) == nil)
        let error = try #require(compileError(tasks))
        #expect(error.code == .unknownSourceField)
        #expect(error.field == "Nope")
    }

    @Test func arithmeticRefusesNonNumericFields() throws {
        let tasks = [mapAll, TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Birthday"], connectorOperator: "ADDITION", destinationField: "T")]
        #expect(compileError(tasks)?.description == "Task 2 (Arithmetic): source field 'Birthday' has type date; Arithmetic needs numbers")
    }

    @Test func numericValidationRefusesDates() throws {
        let tasks = [mapAll, TaskSpec(taskType: "Validate", sourceFields: ["Created"], connectorOperator: "VALIDATE_NON_NEGATIVE")]
        #expect(compileError(tasks)?.description == "Task 2 (Validate): field 'Created' has type timestamp; VALIDATE_NON_NEGATIVE needs numbers")
    }

    @Test func operandsWithoutDataTypeAreTypedByTheSourceField() throws {
        let bad = [mapAll, filter("Qty", "GREATER_THAN", ["VALUE": "lots"])]
        #expect(checkError(bad) == nil)
        #expect(compileError(bad)?.description == "Task 2 (Filter): VALUE 'lots' is not a valid int")
        let plan = try TaskPlan.compile([mapAll, filter("Created", "LESS_THAN", ["VALUE": "2024-01-01T00:00:00Z"])], sourceSchema: contactsSchema)
        #expect(plan.filterCriteria == [FilterCriterion(field: "Created", op: .lessThan, dataType: .timestamp, operands: [.timestamp(1_704_067_200_000_000)])])
    }

    @Test func maskAndPartitionTargetsMustBeInTheOutput() throws {
        let excluded = TaskSpec(taskType: "Map_all", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[\"Phone\"]"])
        let mask = TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: "MASK_ALL")
        #expect(compileError([excluded, mask])?.description
            == "Task 2 (Mask): field 'Phone' is not in the flow's output; map it first, or give the Mask task a destinationField")
        let partition = TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Phone\"]"])
        #expect(compileError([excluded, partition])?.description == "Task 2 (Partition): partition key 'Phone' is not a field of the flow's output")
    }

    @Test func outputSchemaHasTypes() throws {
        let tasks: [TaskSpec] = [
            projection("Id", "FirstName", "LastName", "Age", "Qty", "Price", "Amount", "Phone"),
            map("Id", to: "ContactId", ["DESTINATION_DATA_TYPE": "string"]),
            map("Age", ["SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "integer"]),
            TaskSpec(taskType: "Merge", sourceFields: ["FirstName", "LastName"], connectorOperator: "NO_OP", destinationField: "FullName",
                     properties: ["CONCAT_FORMAT": "${FirstName} ${LastName}"]),
            TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Price"], connectorOperator: "MULTIPLICATION", destinationField: "Total"),
            TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Amount"], connectorOperator: "ADDITION", destinationField: "Exact"),
            TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Qty"], connectorOperator: "DIVISION", destinationField: "Ratio",
                     properties: ["DESTINATION_DATA_TYPE": "double"]),
            TaskSpec(taskType: "Passthrough", sourceFields: ["Qty"]),
            TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: "MASK_ALL", destinationField: "PhoneMasked"),
            TaskSpec(taskType: "Truncate", sourceFields: ["Qty"], properties: ["TRUNCATE_LENGTH": "1"]),
        ]
        let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
        #expect(plan.outputSchema == Schema([
            Field(name: "ContactId", type: .string, nullable: false),
            Field(name: "Age", type: .int),
            Field(name: "FullName", type: .string, nullable: false),
            Field(name: "Total", type: .double),
            Field(name: "Exact", type: .decimal),
            Field(name: "Ratio", type: .double),
            Field(name: "Qty", type: .string),
            Field(name: "PhoneMasked", type: .string),
        ]))
        #expect(plan.projection == ["Id", "FirstName", "LastName", "Age", "Amount", "Price", "Qty", "Phone"])
        #expect(plan.filterCriteria.isEmpty)
        #expect(plan.partitionKeys.isEmpty)
    }

    @Test func mapAllKeepsSourceOrderAndAnExplicitMapReplacesItsField() throws {
        let tasks: [TaskSpec] = [
            TaskSpec(taskType: "Map_all", connectorOperator: "NO_OP", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[\"Phone\",\"Birthday\"]"]),
            map("Age", ["DESTINATION_DATA_TYPE": "integer"]),
            map("Email", to: "Mail"),
            filter("Birthday", "GREATER_THAN", ["DATA_TYPE": "date", "VALUE": "2000-01-01"]),
            TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Created\", \"Mail\"]"]),
        ]
        let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
        #expect(plan.outputSchema.names == ["Id", "FirstName", "LastName", "Email", "Age", "Amount", "Price", "Qty", "Created", "Active", "Mail"])
        #expect(plan.outputSchema["Age"]?.type == .int)
        // Birthday is excluded from the output but read by the filter.
        #expect(plan.projection == ["Id", "FirstName", "LastName", "Email", "Age", "Amount", "Price", "Qty", "Created", "Birthday", "Active"])
        #expect(plan.partitionKeys == ["Created", "Mail"])
        #expect(plan.filterCriteria == [FilterCriterion(field: "Birthday", op: .greaterThan, dataType: .date, operands: [.date(10_957)])])
    }

    @Test func projectionAloneCopiesTheProjectedFields() throws {
        let plan = try TaskPlan.compile([projection("Email", "Id")], sourceSchema: contactsSchema)
        #expect(plan.outputSchema.names == ["Email", "Id"])
        #expect(plan.projection == ["Id", "Email"])
    }

    @Test func filterCriteriaAreTypedForPushdown() throws {
        let tasks: [TaskSpec] = [
            mapAll,
            filter("Created", "BETWEEN", ["DATA_TYPE": "datetime", "LOWER_BOUND": "1609459200000", "UPPER_BOUND": "2021-12-31T23:59:59Z"]),
            filter("Qty", "EQUAL_TO", ["DATA_TYPE": "integer", "VALUES": "[1, 2, 3]"]),
            filter("Amount", "GREATER_THAN_OR_EQUAL_TO", ["DATA_TYPE": "decimal", "VALUE": "10.25"]),
            filter("Email", "CONTAINS", ["VALUES": "example.com, example.org"]),
            filter("Active", "NOT_EQUAL_TO", ["DATA_TYPE": "boolean", "VALUE": "false"]),
        ]
        let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
        #expect(plan.filterCriteria == [
            FilterCriterion(field: "Created", op: .between, dataType: .timestamp,
                            operands: [.timestamp(1_609_459_200_000_000), .timestamp(1_640_995_199_000_000)]),
            FilterCriterion(field: "Qty", op: .equalTo, dataType: .int, operands: [.int(1), .int(2), .int(3)]),
            FilterCriterion(field: "Amount", op: .greaterThanOrEqualTo, dataType: .decimal, operands: [.decimal(Decimal(string: "10.25")!)]),
            FilterCriterion(field: "Email", op: .contains, dataType: .string, operands: [.string("example.com"), .string("example.org")]),
            FilterCriterion(field: "Active", op: .notEqualTo, dataType: .bool, operands: [.bool(false)]),
        ])
    }
}

import Foundation
