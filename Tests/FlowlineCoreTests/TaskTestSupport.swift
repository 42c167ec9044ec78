import Testing
@testable import FlowlineCore

/// A Salesforce-like contacts source used across the task tests.
let contactsSchema = Schema([
    Field(name: "Id", type: .int, nullable: false),
    Field(name: "FirstName", type: .string),
    Field(name: "LastName", type: .string),
    Field(name: "Email", type: .string),
    Field(name: "Age", type: .string),
    Field(name: "Amount", type: .decimal),
    Field(name: "Price", type: .double),
    Field(name: "Qty", type: .int),
    Field(name: "Created", type: .timestamp),
    Field(name: "Birthday", type: .date),
    Field(name: "Active", type: .bool),
    Field(name: "Phone", type: .string),
])

let mapAll = TaskSpec(taskType: "Map_all", connectorOperator: "NO_OP", properties: ["EXCLUDE_SOURCE_FIELDS_LIST": "[]"])

func projection(_ fields: String...) -> TaskSpec {
    TaskSpec(taskType: "Filter", sourceFields: fields, connectorOperator: "PROJECTION")
}

func map(_ source: String, to destination: String? = nil, _ properties: [String: String] = [:]) -> TaskSpec {
    TaskSpec(taskType: "Map", sourceFields: [source], connectorOperator: "NO_OP", destinationField: destination ?? source, properties: properties)
}

func filter(_ field: String, _ op: String, _ properties: [String: String]) -> TaskSpec {
    TaskSpec(taskType: "Filter", sourceFields: [field], connectorOperator: op, properties: properties)
}

/// A contacts row; unnamed fields are null.
func contact(_ values: [String: Value]) -> [Value] {
    contactsSchema.fields.map { values[$0.name] ?? .null }
}

func checkError(_ tasks: [TaskSpec]) -> TaskPlanError? {
    do {
        try TaskPlan.check(tasks)
        return nil
    } catch {
        return error
    }
}

func compileError(_ tasks: [TaskSpec], _ schema: Schema = contactsSchema) -> TaskPlanError? {
    do {
        _ = try TaskPlan.compile(tasks, sourceSchema: schema)
        return nil
    } catch {
        return error
    }
}

/// Compiles `tasks` against the contacts schema and runs them on `rows`.
func run(_ tasks: [TaskSpec], _ rows: [[Value]]) throws -> TaskOutput {
    let plan = try TaskPlan.compile(tasks, sourceSchema: contactsSchema)
    return try plan.apply(RecordBatch(schema: contactsSchema, rows: rows))
}

/// The values of one output column.
func column(_ output: TaskOutput, _ name: String) throws -> [Value] {
    let i = try #require(output.batch.schema.index(of: name))
    return output.batch.rows.map { $0[i] }
}
