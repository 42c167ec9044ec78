/// A flow's tasks compiled once against the source schema: what to read, which records to keep,
/// how to build each output field, and how to check it. `apply` runs it on each batch.
public struct TaskPlan: Sendable {
    /// Most comparison filter tasks a flow may have (PROJECTION filters are not counted).
    public static let maxFilterTasks = 10
    /// Most criteria one filter task may have: each VALUE or VALUES entry counts one, BETWEEN one.
    public static let maxCriteriaPerFilter = 10

    /// The source schema the plan was compiled against.
    public let sourceSchema: Schema
    /// The fields and types every output record has.
    public let outputSchema: Schema
    /// Source fields the plan reads, in source order (for a source's projection pushdown).
    public let projection: [String]
    /// The comparison filters, all of which a record must satisfy (for filter pushdown).
    public let filterCriteria: [FilterCriterion]
    /// Output field names to partition S3 output by, in order (empty when there is no Partition task).
    public let partitionKeys: [String]

    let steps: PlanSteps

    init(sourceSchema: Schema, outputSchema: Schema, projection: [String], filterCriteria: [FilterCriterion],
         partitionKeys: [String], steps: PlanSteps) {
        self.sourceSchema = sourceSchema
        self.outputSchema = outputSchema
        self.projection = projection
        self.filterCriteria = filterCriteria
        self.partitionKeys = partitionKeys
        self.steps = steps
    }

    /// Structural checks for create-flow time, when the source's fields are not known yet.
    public static func check(_ tasks: [TaskSpec]) throws(TaskPlanError) {
        _ = try checkedTasks(tasks)
    }

    /// Everything `check` does, plus the checks against the source's fields; builds the plan.
    public static func compile(_ tasks: [TaskSpec], sourceSchema: Schema) throws(TaskPlanError) -> TaskPlan {
        var compiler = TaskPlanCompiler(tasks: try checkedTasks(tasks), source: sourceSchema)
        return try compiler.compile()
    }

    static func checkedTasks(_ tasks: [TaskSpec]) throws(TaskPlanError) -> [CheckedTask] {
        var checked: [CheckedTask] = []
        checked.reserveCapacity(tasks.count)
        for (i, spec) in tasks.enumerated() {
            checked.append(try TaskChecker.check(spec, number: i + 1))
        }
        try FlowChecks(tasks: checked).run()
        return checked
    }
}
