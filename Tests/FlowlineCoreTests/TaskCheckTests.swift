import Testing
@testable import FlowlineCore

struct CheckCase: Sendable, CustomTestStringConvertible {
    let tasks: [TaskSpec]
    let code: TaskPlanError.Code
    let message: String
    var testDescription: String { message }

    init(_ tasks: [TaskSpec], _ code: TaskPlanError.Code, _ message: String) {
        self.tasks = tasks
        self.code = code
        self.message = message
    }
}

private func mask(_ op: String?, _ properties: [String: String] = [:], field: String = "Phone", destination: String? = nil) -> TaskSpec {
    TaskSpec(taskType: "Mask", sourceFields: [field], connectorOperator: op, destinationField: destination, properties: properties)
}

private func merge(_ properties: [String: String], destination: String? = "FullName") -> TaskSpec {
    TaskSpec(taskType: "Merge", sourceFields: ["FirstName", "LastName"], connectorOperator: "NO_OP", destinationField: destination, properties: properties)
}

private func arithmetic(_ sources: [String], _ properties: [String: String] = [:], op: String = "ADDITION") -> TaskSpec {
    TaskSpec(taskType: "Arithmetic", sourceFields: sources, connectorOperator: op, destinationField: "Total", properties: properties)
}

let checkCases: [CheckCase] = [
    CheckCase([], .noFieldSelection, "The flow needs a Map_all task or a Filter task with the PROJECTION operator"),
    CheckCase([map("Id")], .noFieldSelection, "The flow needs a Map_all task or a Filter task with the PROJECTION operator"),
    CheckCase([mapAll, TaskSpec(taskType: "Mapp", sourceFields: ["Id"])], .unknownTaskType,
              "Task 2 (Mapp): unknown task type 'Mapp'; expected one of Arithmetic, Filter, Map, Map_all, Mask, Merge, Partition, Passthrough, Truncate, Validate"),
    CheckCase([mapAll, mask(nil)], .missingOperator,
              "Task 2 (Mask): a Mask task needs a connector operator (one of MASK_ALL, MASK_FIRST_N, MASK_LAST_N)"),
    CheckCase([mapAll, mask("ADDITION")], .operatorNotAllowed,
              "Task 2 (Mask): operator ADDITION does not apply to Mask tasks; use one of MASK_ALL, MASK_FIRST_N, MASK_LAST_N"),
    CheckCase([mapAll, TaskSpec(taskType: "Map", sourceFields: ["Id"], connectorOperator: "EQUAL_TO", destinationField: "Id")],
              .operatorNotAllowed, "Task 2 (Map): operator EQUAL_TO does not apply to Map tasks; use one of NO_OP"),
    CheckCase([mapAll, arithmetic(["Qty", "Price"], op: "MASK_ALL")], .operatorNotAllowed,
              "Task 2 (Arithmetic): operator MASK_ALL does not apply to Arithmetic tasks; use one of ADDITION, SUBTRACTION, MULTIPLICATION, DIVISION"),
    CheckCase([mapAll, filter("Qty", "ADDITION", ["VALUE": "1"])], .operatorNotAllowed,
              "Task 2 (Filter): operator ADDITION does not apply to Filter tasks; use one of PROJECTION, LESS_THAN, LESS_THAN_OR_EQUAL_TO, GREATER_THAN, GREATER_THAN_OR_EQUAL_TO, EQUAL_TO, NOT_EQUAL_TO, CONTAINS, BETWEEN"),
    CheckCase([mapAll, TaskSpec(taskType: "Validate", sourceFields: ["Qty"], connectorOperator: "NO_OP")], .operatorNotAllowed,
              "Task 2 (Validate): operator NO_OP does not apply to Validate tasks; use one of VALIDATE_NON_NULL, VALIDATE_NON_ZERO, VALIDATE_NON_NEGATIVE, VALIDATE_NUMERIC"),
    CheckCase([mapAll, TaskSpec(taskType: "Filter", sourceFields: ["Qty"])], .missingOperator,
              "Task 2 (Filter): a Filter task needs a connector operator (one of PROJECTION, LESS_THAN, LESS_THAN_OR_EQUAL_TO, GREATER_THAN, GREATER_THAN_OR_EQUAL_TO, EQUAL_TO, NOT_EQUAL_TO, CONTAINS, BETWEEN)"),
    CheckCase([mapAll, map("Id", ["FOO": "1"])], .unknownProperty, "Task 2 (Map): unknown task property 'FOO'"),
    CheckCase([mapAll, map("Id", ["MASK_LENGTH": "2"])], .propertyNotAllowed, "Task 2 (Map): property MASK_LENGTH does not apply to Map tasks"),
    CheckCase([mapAll, map("Id", ["SUBFIELD_CATEGORY_MAP": "{}"])], .propertyNotAllowed,
              "Task 2 (Map): property SUBFIELD_CATEGORY_MAP does not apply to Map tasks"),
    CheckCase([mapAll, map("Phone"), mask("MASK_FIRST_N")], .missingProperty, "Task 3 (Mask): MASK_FIRST_N requires the MASK_LENGTH property"),
    CheckCase([mapAll, mask("MASK_LAST_N", ["MASK_LENGTH": "abc"])], .invalidProperty,
              "Task 2 (Mask): MASK_LENGTH must be a whole number of at least 1, not 'abc'"),
    CheckCase([mapAll, mask("MASK_LAST_N", ["MASK_LENGTH": "0"])], .invalidProperty,
              "Task 2 (Mask): MASK_LENGTH must be a whole number of at least 1, not '0'"),
    CheckCase([mapAll, mask("MASK_ALL", ["MASK_LENGTH": "3"])], .propertyNotAllowed,
              "Task 2 (Mask): property MASK_LENGTH does not apply to MASK_ALL, which masks every character"),
    CheckCase([mapAll, mask("MASK_ALL", ["MASK_VALUE": "**"])], .invalidProperty, "Task 2 (Mask): MASK_VALUE must be a single character, not '**'"),
    CheckCase([mapAll, TaskSpec(taskType: "Truncate", sourceFields: ["Email"])], .missingProperty,
              "Task 2 (Truncate): Truncate requires the TRUNCATE_LENGTH property"),
    CheckCase([mapAll, TaskSpec(taskType: "Truncate", sourceFields: ["Email"], properties: ["TRUNCATE_LENGTH": "2.5"])], .invalidProperty,
              "Task 2 (Truncate): TRUNCATE_LENGTH must be a whole number of at least 1, not '2.5'"),
    CheckCase([mapAll, TaskSpec(taskType: "Map", sourceFields: ["FirstName", "LastName"], destinationField: "Name")], .wrongSourceFieldCount,
              "Task 2 (Map): a Map task takes exactly 1 source field, not 2"),
    CheckCase([mapAll, TaskSpec(taskType: "Passthrough", sourceFields: [])], .wrongSourceFieldCount,
              "Task 2 (Passthrough): a Passthrough task takes exactly 1 source field, not 0"),
    CheckCase([mapAll, map("")], .emptyFieldName, "Task 2 (Map): source field names must not be empty"),
    CheckCase([mapAll, map("Id", to: "")], .emptyFieldName, "Task 2 (Map): the destination field name must not be empty"),
    CheckCase([mapAll, merge(["CONCAT_FORMAT": "${FirstName} ${LastName}"], destination: nil)], .missingDestinationField,
              "Task 2 (Merge): a Merge task needs a destinationField"),
    CheckCase([mapAll, merge([:])], .missingProperty, "Task 2 (Merge): Merge requires the CONCAT_FORMAT property"),
    CheckCase([mapAll, merge(["CONCAT_FORMAT": "${FirstName} ${Email}"])], .invalidProperty,
              "Task 2 (Merge): CONCAT_FORMAT refers to '${Email}', which is not one of the task's source fields"),
    CheckCase([mapAll, merge(["CONCAT_FORMAT": "${FirstName} ${LastName"])], .invalidProperty,
              "Task 2 (Merge): CONCAT_FORMAT has a '${' without a field name and closing '}'"),
    CheckCase([mapAll, merge(["CONCAT_FORMAT": "${FirstName}", "DESTINATION_DATA_TYPE": "integer"])], .invalidProperty,
              "Task 2 (Merge): a Merge task writes text; DESTINATION_DATA_TYPE must be string"),
    CheckCase([mapAll, TaskSpec(taskType: "Merge", sourceFields: [], destinationField: "X", properties: ["CONCAT_FORMAT": "x"])],
              .wrongSourceFieldCount, "Task 2 (Merge): a Merge task needs at least 1 source field"),
    CheckCase([mapAll, arithmetic(["Qty"])], .wrongSourceFieldCount, "Task 2 (Arithmetic): an Arithmetic task takes exactly 2 source fields, not 1"),
    CheckCase([mapAll, arithmetic(["Qty", "Price"], ["MATH_OPERATION_FIELDS_ORDER": "Qty,Amount"])], .invalidProperty,
              "Task 2 (Arithmetic): MATH_OPERATION_FIELDS_ORDER must list the task's 2 source fields (Qty, Price) in operand order"),
    CheckCase([mapAll, arithmetic(["Qty", "Price"], ["DESTINATION_DATA_TYPE": "date"])], .invalidProperty,
              "Task 2 (Arithmetic): an Arithmetic task yields numbers; DESTINATION_DATA_TYPE must be double or decimal"),
    CheckCase([mapAll, TaskSpec(taskType: "Arithmetic", sourceFields: ["Qty", "Price"], connectorOperator: "ADDITION")],
              .missingDestinationField, "Task 2 (Arithmetic): an Arithmetic task needs a destinationField"),
    CheckCase([mapAll, map("Id", ["DESTINATION_DATA_TYPE": "money"])], .invalidProperty,
              "Task 2 (Map): DESTINATION_DATA_TYPE 'money' is not a known data type"),
    CheckCase([mapAll, map("Id", ["SOURCE_DATA_TYPE": "blob"])], .invalidProperty, "Task 2 (Map): SOURCE_DATA_TYPE 'blob' is not a known data type"),
    CheckCase([mapAll, filter("Qty", "GREATER_THAN", ["DATA_TYPE": "blob", "VALUE": "1"])], .invalidProperty,
              "Task 2 (Filter): DATA_TYPE 'blob' is not a known data type"),
    CheckCase([mapAll, filter("Qty", "GREATER_THAN", ["DATA_TYPE": "integer"])], .missingProperty,
              "Task 2 (Filter): GREATER_THAN requires the VALUE or VALUES property"),
    CheckCase([mapAll, filter("Qty", "GREATER_THAN", ["DATA_TYPE": "integer", "VALUE": "ten"])], .invalidProperty,
              "Task 2 (Filter): VALUE 'ten' is not a valid int"),
    CheckCase([mapAll, filter("Qty", "GREATER_THAN", ["DATA_TYPE": "integer", "VALUE": "2.5"])], .invalidProperty,
              "Task 2 (Filter): VALUE '2.5' is not a valid int"),
    CheckCase([mapAll, filter("Created", "GREATER_THAN", ["DATA_TYPE": "datetime", "VALUE": "yesterday"])], .invalidProperty,
              "Task 2 (Filter): VALUE 'yesterday' is not a valid timestamp"),
    CheckCase([mapAll, filter("Qty", "EQUAL_TO", ["DATA_TYPE": "integer", "VALUES": "[1, \"x\"]"])], .invalidProperty,
              "Task 2 (Filter): VALUES 'x' is not a valid int"),
    CheckCase([mapAll, filter("Qty", "BETWEEN", ["DATA_TYPE": "integer", "LOWER_BOUND": "1"])], .missingProperty,
              "Task 2 (Filter): BETWEEN requires the UPPER_BOUND property"),
    CheckCase([mapAll, filter("Qty", "BETWEEN", ["UPPER_BOUND": "1"])], .missingProperty, "Task 2 (Filter): BETWEEN requires the LOWER_BOUND property"),
    CheckCase([mapAll, filter("Qty", "BETWEEN", ["VALUE": "1", "LOWER_BOUND": "1", "UPPER_BOUND": "2"])], .propertyNotAllowed,
              "Task 2 (Filter): property VALUE does not apply to BETWEEN, which takes LOWER_BOUND and UPPER_BOUND"),
    CheckCase([mapAll, filter("Qty", "BETWEEN", ["DATA_TYPE": "integer", "LOWER_BOUND": "9", "UPPER_BOUND": "2"])], .invalidProperty,
              "Task 2 (Filter): LOWER_BOUND '9' is greater than UPPER_BOUND '2'"),
    CheckCase([mapAll, filter("Qty", "BETWEEN", ["DATA_TYPE": "integer", "LOWER_BOUND": "x", "UPPER_BOUND": "2"])], .invalidProperty,
              "Task 2 (Filter): LOWER_BOUND 'x' is not a valid int"),
    CheckCase([mapAll, filter("Qty", "GREATER_THAN", ["VALUE": "1", "LOWER_BOUND": "1"])], .propertyNotAllowed,
              "Task 2 (Filter): property LOWER_BOUND applies only to BETWEEN"),
    CheckCase([mapAll, filter("Qty", "EQUAL_TO", ["VALUE": "1", "VALUES": "[1]"])], .propertyNotAllowed,
              "Task 2 (Filter): give either VALUE or VALUES, not both"),
    CheckCase([mapAll, filter("Qty", "LESS_THAN", ["VALUES": "[1,2]"])], .invalidProperty,
              "Task 2 (Filter): LESS_THAN compares with one value; VALUES has 2"),
    CheckCase([mapAll, filter("Qty", "EQUAL_TO", ["VALUES": "[1,"])], .invalidProperty,
              "Task 2 (Filter): VALUES must be a JSON array of strings or a comma-separated list, not '[1,'"),
    CheckCase([mapAll, filter("Qty", "EQUAL_TO", ["VALUES": "[]"])], .invalidProperty, "Task 2 (Filter): VALUES must hold at least one value"),
    CheckCase([TaskSpec(taskType: "Filter", sourceFields: ["Id"], connectorOperator: "PROJECTION", properties: ["DATA_TYPE": "integer"])],
              .propertyNotAllowed, "Task 1 (Filter): property DATA_TYPE does not apply to PROJECTION, which only selects fields"),
    CheckCase([TaskSpec(taskType: "Filter", sourceFields: [], connectorOperator: "PROJECTION")], .wrongSourceFieldCount,
              "Task 1 (Filter): a PROJECTION filter needs at least 1 source field"),
    CheckCase([projection("Id", "Email", "Id")], .invalidProperty, "Task 1 (Filter): the PROJECTION lists source field 'Id' twice"),
    CheckCase([mapAll] + (1...11).map { filter("Qty", "GREATER_THAN", ["VALUE": "\($0)"]) }, .tooManyFilters,
              "Task 12 (Filter): the flow has more than 10 filter tasks (PROJECTION filters are not counted)"),
    CheckCase([mapAll, filter("Qty", "EQUAL_TO", ["VALUES": "[1,2,3,4,5,6,7,8,9,10,11]"])], .tooManyCriteria,
              "Task 2 (Filter): a filter takes at most 10 values; this one has 11"),
    CheckCase([projection("FirstName", "Email"), map("FirstName", to: "Name"), map("Email", to: "Name")], .duplicateDestinationField,
              "Task 3 (Map): destination field 'Name' is already written by task 2 (Map)"),
    CheckCase([mapAll, merge(["CONCAT_FORMAT": "${FirstName}"]), arithmetic(["Qty", "Price"]), map("Qty", to: "Total")], .duplicateDestinationField,
              "Task 4 (Map): destination field 'Total' is already written by task 3 (Arithmetic)"),
    CheckCase([mapAll, mapAll], .duplicateTask, "Task 2 (Map_all): a flow takes one Map_all task; task 1 is already one"),
    CheckCase([mapAll, TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Id\"]"]),
               TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Id\"]"])], .duplicateTask,
              "Task 3 (Partition): a flow takes one Partition task; task 2 is already one"),
    CheckCase([mapAll, TaskSpec(taskType: "Partition")], .missingProperty, "Task 2 (Partition): Partition requires the ORDERED_PARTITION_KEYS_LIST property"),
    CheckCase([mapAll, TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[]"])], .invalidProperty,
              "Task 2 (Partition): ORDERED_PARTITION_KEYS_LIST must name at least one field"),
    CheckCase([mapAll, TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Id\",\"Id\"]"])], .invalidProperty,
              "Task 2 (Partition): ORDERED_PARTITION_KEYS_LIST names 'Id' twice"),
    CheckCase([projection("Id"), TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Created\"]"])], .fieldNotInOutput,
              "Task 2 (Partition): partition key 'Created' is not a field of the flow's output"),
    CheckCase([mapAll, TaskSpec(taskType: "Validate", sourceFields: ["Qty"], connectorOperator: "VALIDATE_NON_NULL", properties: ["VALIDATION_ACTION": "Explode"])],
              .invalidProperty, "Task 2 (Validate): VALIDATION_ACTION must be one of DropRecord, TerminateFlow, NoOp, not 'Explode'"),
    CheckCase([projection("Id", "Email"), map("Id"), mask("MASK_ALL", field: "Email")], .fieldNotInOutput,
              "Task 3 (Mask): field 'Email' is not in the flow's output; map it first, or give the Mask task a destinationField"),
    CheckCase([TaskSpec(taskType: "Map_all", properties: ["INCLUDE_NEW_FIELDS": "maybe"])], .invalidProperty,
              "Task 1 (Map_all): INCLUDE_NEW_FIELDS must be true or false, not 'maybe'"),
    CheckCase([TaskSpec(taskType: "Map_all", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[\"Id\""])], .invalidProperty,
              "Task 1 (Map_all): EXCLUDE_SOURCE_FIELDS_LIST must be a JSON array of strings or a comma-separated list, not '[\"Id\"'"),
]

@Suite struct TaskCheckTests {
    @Test(arguments: checkCases)
    func refusesWithAMessageNamingTaskAndProperty(_ c: CheckCase) throws {
        let error = try #require(checkError(c.tasks))
        #expect(error.code == c.code)
        #expect(error.description == c.message)
        // compile runs the same structural checks first.
        #expect(compileError(c.tasks)?.description == c.message)
    }

    @Test func errorCarriesItsParts() throws {
        let error = try #require(checkError([mapAll, map("Phone"), TaskSpec(taskType: "Mask", sourceFields: ["Phone"], connectorOperator: "MASK_FIRST_N")]))
        #expect(error.taskNumber == 3)
        #expect(error.taskType == "Mask")
        #expect(error.property == "MASK_LENGTH")
        #expect(error.message == "MASK_FIRST_N requires the MASK_LENGTH property")
    }

    /// The shapes AppFlow's console sends pass.
    @Test func acceptsConsoleStyleFlows() {
        let manual: [TaskSpec] = [
            projection("Id", "FirstName", "LastName", "Email", "Created"),
            map("Id", ["SOURCE_DATA_TYPE": "id", "DESTINATION_DATA_TYPE": "id"]),
            map("FirstName", ["SOURCE_DATA_TYPE": "string", "DESTINATION_DATA_TYPE": "string"]),
            TaskSpec(taskType: "Merge", sourceFields: ["FirstName", "LastName"], connectorOperator: "NO_OP", destinationField: "FullName",
                     properties: ["CONCAT_FORMAT": "${FirstName} ${LastName}"]),
            map("Email"),
            TaskSpec(taskType: "Mask", sourceFields: ["Email"], connectorOperator: "MASK_LAST_N", destinationField: "Email",
                     properties: ["MASK_LENGTH": "4", "MASK_VALUE": "#"]),
            filter("Created", "BETWEEN", ["DATA_TYPE": "datetime", "LOWER_BOUND": "1609459200000", "UPPER_BOUND": "1640995199000"]),
            filter("Email", "CONTAINS", ["VALUE": "@example.com"]),
            TaskSpec(taskType: "Validate", sourceFields: ["Id"], connectorOperator: "VALIDATE_NON_NULL", destinationField: "Id",
                     properties: ["VALIDATION_ACTION": "DropRecord"]),
        ]
        #expect(checkError(manual) == nil)
        let all: [TaskSpec] = [
            TaskSpec(taskType: "Map_all", sourceFields: [], connectorOperator: "NO_OP", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[\"Phone\"]"]),
            TaskSpec(taskType: "Partition", properties: ["ORDERED_PARTITION_KEYS_LIST": "[\"Created\"]"]),
            filter("Qty", "EQUAL_TO", ["DATA_TYPE": "integer", "VALUES": "[1,2,3,4,5,6,7,8,9,10]"]),
            TaskSpec(taskType: "Truncate", sourceFields: ["Email"], properties: ["TRUNCATE_LENGTH": "10"]),
        ]
        #expect(checkError(all) == nil)
    }

    /// Ten comparison filters are fine, and PROJECTION filters are not counted.
    @Test func tenFiltersAreAllowed() {
        let tasks = [projection("Qty"), projection("Id"), map("Qty")] + (1...10).map { filter("Qty", "GREATER_THAN", ["VALUE": "\($0)"]) }
        #expect(checkError(tasks) == nil)
    }

    @Test func betweenCountsAsOneCriterion() {
        let between = filter("Qty", "BETWEEN", ["LOWER_BOUND": "1", "UPPER_BOUND": "2"])
        let checked = try? TaskChecker.check(between, number: 1)
        if case .filter(_, _, _, let operands)? = checked?.step {
            #expect(checked?.criteriaCount(operands) == 1)
        } else {
            Issue.record("not a filter")
        }
    }
}
