/// Why a list of tasks cannot become a plan. `description` reads like
/// `Task 3 (Mask): MASK_FIRST_N requires the MASK_LENGTH property`; it names tasks, fields and
/// properties, never record values.
public struct TaskPlanError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// No `Map_all` task and no `Filter` task with `PROJECTION`.
        case noFieldSelection
        case unknownTaskType
        case missingOperator
        case operatorNotAllowed
        case unknownProperty
        case propertyNotAllowed
        case missingProperty
        case invalidProperty
        case wrongSourceFieldCount
        case emptyFieldName
        case missingDestinationField
        case duplicateDestinationField
        /// A second `Map_all` or `Partition` task.
        case duplicateTask
        case tooManyFilters
        case tooManyCriteria
        /// A field that the source schema does not have (compile only).
        case unknownSourceField
        /// A Mask/Truncate/Partition target that no task puts in the output.
        case fieldNotInOutput
        /// A field whose type the task cannot work on, e.g. arithmetic on a date.
        case incompatibleFieldType
    }

    public var code: Code
    /// 1-based position of the task in the flow's list; nil for flow-wide problems.
    public var taskNumber: Int?
    public var taskType: String?
    public var field: String?
    public var property: String?
    /// The problem itself, without the task prefix.
    public var message: String

    public init(_ code: Code, taskNumber: Int? = nil, taskType: String? = nil, field: String? = nil,
                property: String? = nil, message: String) {
        self.code = code
        self.taskNumber = taskNumber
        self.taskType = taskType
        self.field = field
        self.property = property
        self.message = message
    }

    public var description: String {
        guard let taskNumber else { return message }
        return "Task \(taskNumber) (\(taskType ?? "?")): \(message)"
    }
}
