/// The task types, operators and property keys the plan understands, and which go together.
enum TaskKind: String, CaseIterable {
    case mapAll = "Map_all"
    case map = "Map"
    case merge = "Merge"
    case arithmetic = "Arithmetic"
    case mask = "Mask"
    case truncate = "Truncate"
    case validate = "Validate"
    case filter = "Filter"
    case passthrough = "Passthrough"
    case partition = "Partition"

    /// Operators a task of this kind may carry; NO_OP kinds default to NO_OP when none is given.
    var operators: [String] {
        switch self {
        case .mapAll, .map, .merge, .truncate, .passthrough, .partition: return ["NO_OP"]
        case .arithmetic: return ArithmeticOperator.allCases.map(\.rawValue)
        case .mask: return ["MASK_ALL", "MASK_FIRST_N", "MASK_LAST_N"]
        case .validate: return ValidationRule.allCases.map(\.rawValue)
        case .filter: return ["PROJECTION"] + FilterCriterion.Operator.allCases.map(\.rawValue)
        }
    }

    var defaultOperator: String? { operators == ["NO_OP"] ? "NO_OP" : nil }

    var properties: Set<TaskProperty> {
        switch self {
        case .mapAll: return [.excludeSourceFieldsList, .includeNewFields]
        case .map: return [.sourceDataType, .destinationDataType]
        case .passthrough: return [.sourceDataType]
        case .merge: return [.concatFormat, .sourceDataType, .destinationDataType]
        case .arithmetic: return [.mathOperationFieldsOrder, .sourceDataType, .destinationDataType]
        case .mask: return [.maskValue, .maskLength, .sourceDataType]
        case .truncate: return [.truncateLength, .sourceDataType]
        case .validate: return [.validationAction, .sourceDataType]
        case .filter: return [.dataType, .value, .values, .lowerBound, .upperBound]
        case .partition: return [.orderedPartitionKeysList]
        }
    }

    /// "a Map task", "an Arithmetic task".
    var article: String { self == .arithmetic ? "an" : "a" }

    /// Kinds that write a destination field from source fields.
    var producesField: Bool { self == .map || self == .merge || self == .arithmetic || self == .passthrough }
}

/// Every task property key of the AppFlow API.
enum TaskProperty: String, CaseIterable {
    case value = "VALUE"
    case values = "VALUES"
    case dataType = "DATA_TYPE"
    case upperBound = "UPPER_BOUND"
    case lowerBound = "LOWER_BOUND"
    case sourceDataType = "SOURCE_DATA_TYPE"
    case destinationDataType = "DESTINATION_DATA_TYPE"
    case validationAction = "VALIDATION_ACTION"
    case maskValue = "MASK_VALUE"
    case maskLength = "MASK_LENGTH"
    case truncateLength = "TRUNCATE_LENGTH"
    case mathOperationFieldsOrder = "MATH_OPERATION_FIELDS_ORDER"
    case concatFormat = "CONCAT_FORMAT"
    case subfieldCategoryMap = "SUBFIELD_CATEGORY_MAP"
    case excludeSourceFieldsList = "EXCLUDE_SOURCE_FIELDS_LIST"
    case includeNewFields = "INCLUDE_NEW_FIELDS"
    case orderedPartitionKeysList = "ORDERED_PARTITION_KEYS_LIST"
}

enum ArithmeticOperator: String, CaseIterable {
    case addition = "ADDITION"
    case subtraction = "SUBTRACTION"
    case multiplication = "MULTIPLICATION"
    case division = "DIVISION"
}

enum ValidationRule: String, CaseIterable {
    case nonNull = "VALIDATE_NON_NULL"
    case nonZero = "VALIDATE_NON_ZERO"
    case nonNegative = "VALIDATE_NON_NEGATIVE"
    case numeric = "VALIDATE_NUMERIC"
}

/// What a failed validation does to the run (`VALIDATION_ACTION`).
enum ValidationAction: String, CaseIterable {
    /// Leave the record out and report it as rejected (the default).
    case dropRecord = "DropRecord"
    /// Stop the run.
    case terminateFlow = "TerminateFlow"
    /// Keep the record as it is.
    case noOp = "NoOp"
}

enum MaskStyle: Hashable {
    case all
    case firstN(Int)
    case lastN(Int)
}

/// A piece of a Merge task's CONCAT_FORMAT: literal text or a `${Field}` placeholder.
enum MergePart: Hashable {
    case literal(String)
    case field(String)
}

/// One task after the structural checks, with its properties parsed.
struct CheckedTask {
    enum Step {
        case mapAll(exclude: [String])
        case map(source: String, destination: String, convertTo: FieldType?)
        case passthrough(source: String, destination: String)
        case merge(sources: [String], destination: String, format: [MergePart])
        case arithmetic(ArithmeticOperator, lhs: String, rhs: String, destination: String, resultType: FieldType?)
        case projection([String])
        /// `dataType` nil: compared as the source field's own type, operands typed at compile time.
        case filter(field: String, op: FilterCriterion.Operator, dataType: FieldType?, operands: [String])
        case mask(source: String, destination: String?, style: MaskStyle, maskValue: String)
        case truncate(source: String, destination: String?, length: Int)
        case validate(source: String, destination: String?, rule: ValidationRule, action: ValidationAction)
        case partition(keys: [String])
    }

    /// 1-based position in the flow's task list.
    let number: Int
    let kind: TaskKind
    let step: Step

    func error(_ code: TaskPlanError.Code, field: String? = nil, property: String? = nil, _ message: String) -> TaskPlanError {
        TaskPlanError(code, taskNumber: number, taskType: kind.rawValue, field: field, property: property, message: message)
    }
}
