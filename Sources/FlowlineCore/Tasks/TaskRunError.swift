/// Why `TaskPlan.apply` stopped a run (record-level problems are rejections, not errors).
public enum TaskRunError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A `Validate` task with `VALIDATION_ACTION` `TerminateFlow` found an invalid record.
    case terminated(reason: String)
    /// The batch lacks a source field the plan reads.
    case missingField(name: String)
    /// A row whose width differs from its batch's schema.
    case rowWidthMismatch(row: Int, expected: Int, actual: Int)

    public var description: String {
        switch self {
        case .terminated(let reason):
            return "The flow was terminated by a validation: \(reason)"
        case .missingField(let name):
            return "The source records have no field '\(name)', which the flow's tasks read"
        case .rowWidthMismatch(let row, let expected, let actual):
            return "Record \(row + 1) of the batch has \(actual) values but its schema has \(expected) fields"
        }
    }
}
