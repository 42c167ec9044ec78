/// The types a field can have in a schema. Connector-specific types map onto these.
public enum FieldType: String, Sendable, Hashable, CaseIterable, Codable {
    case bool
    case int
    case double
    case decimal
    case string
    case date
    case timestamp

    /// Parses the data type names AppFlow uses in task properties (`DATA_TYPE`,
    /// `SOURCE_DATA_TYPE`, `DESTINATION_DATA_TYPE`) and connector field metadata.
    public init?(appFlowName: String) {
        switch appFlowName.lowercased() {
        case "boolean", "bool": self = .bool
        case "integer", "int", "long", "bigint", "short", "smallint", "byte", "int64", "int32": self = .int
        case "double", "float", "real", "percent", "currency": self = .double
        case "decimal", "numeric", "number": self = .decimal
        case "string", "text", "varchar", "id", "reference", "email", "phone", "url", "picklist",
             "multipicklist", "textarea", "combobox", "char", "address": self = .string
        case "date": self = .date
        case "datetime", "timestamp", "time", "timestamptz": self = .timestamp
        default: return nil
        }
    }
}
