/// One AppFlow task in connector-neutral form: the service layer builds it from the API `Task`
/// (the `connectorOperator` object's single value becomes `connectorOperator`).
public struct TaskSpec: Sendable, Hashable {
    public var taskType: String            // "Map_all", "Map", "Merge", "Arithmetic", "Mask", "Truncate", "Validate", "Filter", "Passthrough", "Partition"
    public var sourceFields: [String]
    public var connectorOperator: String?  // "NO_OP", "PROJECTION", "EQUAL_TO", "MASK_ALL", "ADDITION", "VALIDATE_NON_NULL", ...
    public var destinationField: String?
    public var properties: [String: String] // keys like "DATA_TYPE", "VALUE", "VALUES", "LOWER_BOUND", ...

    public init(taskType: String, sourceFields: [String] = [], connectorOperator: String? = nil,
                destinationField: String? = nil, properties: [String: String] = [:]) {
        self.taskType = taskType
        self.sourceFields = sourceFields
        self.connectorOperator = connectorOperator
        self.destinationField = destinationField
        self.properties = properties
    }
}
