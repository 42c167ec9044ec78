import FlowlineCore

/// A source field as the wizard offers it: the type its source reports, the type its values
/// suggest (for S3 text, from sampling the objects; otherwise the same) and, for applications
/// that say so, the filter operators it takes.
struct WizardField: Sendable, Equatable {
    var name: String
    var sourceType: FieldType
    var sampledType: FieldType
    /// What describe-connector-entity offers for the field (SaaS sources); nil: decided by type.
    var operators: [String]?
}

/// The fields of the draft's source, read once per source (`key`) and kept in the draft.
struct SourceFieldList: Sendable {
    var key: String
    var fields: [WizardField]
    /// Why the fields could not be read, for the page.
    var error: String?

    var names: [String] { fields.map(\.name) }
    func field(_ name: String) -> WizardField? { fields.first { $0.name == name } }
}

/// The AppFlow data type names the console writes (DATA_TYPE, DESTINATION_DATA_TYPE) and shows.
enum DataTypeName {
    static func appFlow(_ type: FieldType) -> String {
        switch type {
        case .int: "integer"
        case .double: "double"
        case .decimal: "decimal"
        case .string: "string"
        case .bool: "boolean"
        case .date: "date"
        case .timestamp: "datetime"
        }
    }

    static func label(_ type: FieldType) -> String {
        switch type {
        case .int: "whole number"
        case .double: "number"
        case .decimal: "exact decimal"
        case .string: "text"
        case .bool: "true/false"
        case .date: "date"
        case .timestamp: "date and time"
        }
    }

    /// The choices of a data type select, after its "automatic" entry.
    static let choices: [(value: String, label: String)] = [FieldType.string, .int, .double, .decimal, .bool, .date, .timestamp].map {
        (appFlow($0), "\(label($0)) (\(appFlow($0)))")
    }
}

/// Which comparison a filter may make on which type, as describe-connector-entity reports them
/// for typed fields: text is matched (equal, not equal, contains), numbers, dates and times are
/// also ordered, booleans only matched.
enum FilterOperators {
    static let all: [(op: String, label: String)] = [
        ("EQUAL_TO", "is equal to"), ("NOT_EQUAL_TO", "is not equal to"), ("CONTAINS", "contains"),
        ("LESS_THAN", "is less than"), ("LESS_THAN_OR_EQUAL_TO", "is less than or equal to"),
        ("GREATER_THAN", "is greater than"), ("GREATER_THAN_OR_EQUAL_TO", "is greater than or equal to"),
        ("BETWEEN", "is between"),
    ]

    static func allowed(for type: FieldType) -> [String] {
        switch type {
        case .string: ["EQUAL_TO", "NOT_EQUAL_TO", "CONTAINS"]
        case .bool: ["EQUAL_TO", "NOT_EQUAL_TO"]
        case .int, .double, .decimal, .date, .timestamp:
            ["EQUAL_TO", "NOT_EQUAL_TO", "LESS_THAN", "LESS_THAN_OR_EQUAL_TO", "GREATER_THAN", "GREATER_THAN_OR_EQUAL_TO", "BETWEEN"]
        }
    }

    /// The data type names an operator applies to (the script narrows the list with them).
    static func types(allowing op: String) -> [String] {
        FieldType.allCases.filter { allowed(for: $0).contains(op) }.map(DataTypeName.appFlow)
    }

    static func label(_ op: String) -> String { all.first { $0.op == op }?.label ?? op }
}
