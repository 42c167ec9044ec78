/// Structural checks of one task: type, operator, source field count, properties present,
/// allowed and well-formed. Needs no source schema.
struct TaskChecker {
    let spec: TaskSpec
    let number: Int
    let kind: TaskKind

    static func check(_ spec: TaskSpec, number: Int) throws(TaskPlanError) -> CheckedTask {
        guard let kind = TaskKind(rawValue: spec.taskType) else {
            let known = TaskKind.allCases.map(\.rawValue).sorted().joined(separator: ", ")
            throw TaskPlanError(.unknownTaskType, taskNumber: number, taskType: spec.taskType,
                                message: "unknown task type '\(spec.taskType)'; expected one of \(known)")
        }
        return try TaskChecker(spec: spec, number: number, kind: kind).checked()
    }

    private func fail(_ code: TaskPlanError.Code, field: String? = nil, property: TaskProperty? = nil, _ message: String) -> TaskPlanError {
        TaskPlanError(code, taskNumber: number, taskType: kind.rawValue, field: field, property: property?.rawValue, message: message)
    }

    private func checked() throws(TaskPlanError) -> CheckedTask {
        let op = try checkedOperator()
        try checkPropertyKeys()
        for name in spec.sourceFields where name.isEmpty {
            throw fail(.emptyFieldName, "source field names must not be empty")
        }
        if let d = spec.destinationField, d.isEmpty, kind != .mapAll, kind != .partition {
            throw fail(.emptyFieldName, "the destination field name must not be empty")
        }
        for p in [TaskProperty.sourceDataType, .destinationDataType] {
            _ = try dataType(p)
        }
        return CheckedTask(number: number, kind: kind, step: try step(op))
    }

    private func checkedOperator() throws(TaskPlanError) -> String {
        let allowed = kind.operators
        guard let op = spec.connectorOperator ?? kind.defaultOperator else {
            throw fail(.missingOperator, "\(kind.article) \(kind.rawValue) task needs a connector operator (one of \(allowed.joined(separator: ", ")))")
        }
        guard allowed.contains(op) else {
            throw fail(.operatorNotAllowed, "operator \(op) does not apply to \(kind.rawValue) tasks; use one of \(allowed.joined(separator: ", "))")
        }
        return op
    }

    private func checkPropertyKeys() throws(TaskPlanError) {
        for key in spec.properties.keys.sorted() {
            guard let p = TaskProperty(rawValue: key) else {
                throw fail(.unknownProperty, "unknown task property '\(key)'")
            }
            guard kind.properties.contains(p) else {
                throw fail(.propertyNotAllowed, property: p, "property \(key) does not apply to \(kind.rawValue) tasks")
            }
        }
    }

    private func step(_ op: String) throws(TaskPlanError) -> CheckedTask.Step {
        switch kind {
        case .mapAll:
            var exclude: [String] = []
            if let text = spec.properties[TaskProperty.excludeSourceFieldsList.rawValue] {
                exclude = try list(text, .excludeSourceFieldsList)
            }
            if let text = spec.properties[TaskProperty.includeNewFields.rawValue], ValueConversion.bool(.string(text)) == nil {
                throw fail(.invalidProperty, property: .includeNewFields, "INCLUDE_NEW_FIELDS must be true or false, not '\(text)'")
            }
            return .mapAll(exclude: exclude)
        case .map:
            let source = try singleSource()
            return .map(source: source, destination: spec.destinationField ?? source, convertTo: try dataType(.destinationDataType))
        case .passthrough:
            let source = try singleSource()
            return .passthrough(source: source, destination: spec.destinationField ?? source)
        case .merge:
            return try mergeStep()
        case .arithmetic:
            return try arithmeticStep(ArithmeticOperator(rawValue: op)!)
        case .filter:
            return try filterStep(op)
        case .mask:
            return try maskStep(op)
        case .truncate:
            let source = try singleSource()
            let length = try count(.truncateLength, requiredBy: "Truncate")
            return .truncate(source: source, destination: spec.destinationField, length: length)
        case .validate:
            let source = try singleSource()
            var action = ValidationAction.dropRecord
            if let text = spec.properties[TaskProperty.validationAction.rawValue] {
                guard let a = ValidationAction.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                    let names = ValidationAction.allCases.map(\.rawValue).joined(separator: ", ")
                    throw fail(.invalidProperty, property: .validationAction, "VALIDATION_ACTION must be one of \(names), not '\(text)'")
                }
                action = a
            }
            return .validate(source: source, destination: spec.destinationField, rule: ValidationRule(rawValue: op)!, action: action)
        case .partition:
            guard let text = spec.properties[TaskProperty.orderedPartitionKeysList.rawValue] else {
                throw fail(.missingProperty, property: .orderedPartitionKeysList, "Partition requires the ORDERED_PARTITION_KEYS_LIST property")
            }
            let keys = try list(text, .orderedPartitionKeysList)
            guard !keys.isEmpty else {
                throw fail(.invalidProperty, property: .orderedPartitionKeysList, "ORDERED_PARTITION_KEYS_LIST must name at least one field")
            }
            if let dup = firstDuplicate(keys) {
                throw fail(.invalidProperty, field: dup, property: .orderedPartitionKeysList, "ORDERED_PARTITION_KEYS_LIST names '\(dup)' twice")
            }
            return .partition(keys: keys)
        }
    }

    private func mergeStep() throws(TaskPlanError) -> CheckedTask.Step {
        guard !spec.sourceFields.isEmpty else {
            throw fail(.wrongSourceFieldCount, "a Merge task needs at least 1 source field")
        }
        let destination = try requiredDestination()
        guard let text = spec.properties[TaskProperty.concatFormat.rawValue] else {
            throw fail(.missingProperty, property: .concatFormat, "Merge requires the CONCAT_FORMAT property")
        }
        let format: [MergePart]
        do {
            format = try TaskPropertyParsing.concatFormat(text)
        } catch {
            throw fail(.invalidProperty, property: .concatFormat, "CONCAT_FORMAT has a '${' without a field name and closing '}'")
        }
        for case .field(let name) in format where !spec.sourceFields.contains(name) {
            throw fail(.invalidProperty, field: name, property: .concatFormat,
                       "CONCAT_FORMAT refers to '${\(name)}', which is not one of the task's source fields")
        }
        if let t = try dataType(.destinationDataType), t != .string {
            throw fail(.invalidProperty, property: .destinationDataType, "a Merge task writes text; DESTINATION_DATA_TYPE must be string")
        }
        return .merge(sources: spec.sourceFields, destination: destination, format: format)
    }

    private func arithmeticStep(_ op: ArithmeticOperator) throws(TaskPlanError) -> CheckedTask.Step {
        guard spec.sourceFields.count == 2 else {
            throw fail(.wrongSourceFieldCount, "an Arithmetic task takes exactly 2 source fields, not \(spec.sourceFields.count)")
        }
        let destination = try requiredDestination()
        var operands = spec.sourceFields
        if let text = spec.properties[TaskProperty.mathOperationFieldsOrder.rawValue] {
            let order = try list(text, .mathOperationFieldsOrder)
            guard order.count == 2, Set(order) == Set(spec.sourceFields) else {
                throw fail(.invalidProperty, property: .mathOperationFieldsOrder,
                           "MATH_OPERATION_FIELDS_ORDER must list the task's 2 source fields (\(spec.sourceFields.joined(separator: ", "))) in operand order")
            }
            operands = order
        }
        let result = try dataType(.destinationDataType)
        if let result, result != .double, result != .decimal {
            throw fail(.invalidProperty, property: .destinationDataType, "an Arithmetic task yields numbers; DESTINATION_DATA_TYPE must be double or decimal")
        }
        return .arithmetic(op, lhs: operands[0], rhs: operands[1], destination: destination, resultType: result)
    }

    private func maskStep(_ op: String) throws(TaskPlanError) -> CheckedTask.Step {
        let source = try singleSource()
        var maskValue = "*"
        if let text = spec.properties[TaskProperty.maskValue.rawValue] {
            guard text.count == 1 else {
                throw fail(.invalidProperty, property: .maskValue, "MASK_VALUE must be a single character, not '\(text)'")
            }
            maskValue = text
        }
        let style: MaskStyle
        switch op {
        case "MASK_ALL":
            if spec.properties[TaskProperty.maskLength.rawValue] != nil {
                throw fail(.propertyNotAllowed, property: .maskLength, "property MASK_LENGTH does not apply to MASK_ALL, which masks every character")
            }
            style = .all
        case "MASK_FIRST_N": style = .firstN(try count(.maskLength, requiredBy: op))
        default: style = .lastN(try count(.maskLength, requiredBy: op))
        }
        return .mask(source: source, destination: spec.destinationField, style: style, maskValue: maskValue)
    }

    private func filterStep(_ op: String) throws(TaskPlanError) -> CheckedTask.Step {
        let props = spec.properties
        if op == "PROJECTION" {
            if let key = props.keys.sorted().first {
                throw fail(.propertyNotAllowed, property: TaskProperty(rawValue: key), "property \(key) does not apply to PROJECTION, which only selects fields")
            }
            guard !spec.sourceFields.isEmpty else {
                throw fail(.wrongSourceFieldCount, "a PROJECTION filter needs at least 1 source field")
            }
            if let dup = firstDuplicate(spec.sourceFields) {
                throw fail(.invalidProperty, field: dup, "the PROJECTION lists source field '\(dup)' twice")
            }
            return .projection(spec.sourceFields)
        }
        let field = try singleSource()
        let filterOp = FilterCriterion.Operator(rawValue: op)!
        let declared = try dataType(.dataType)
        let dataType = filterOp == .contains ? FieldType.string : declared
        var operands: [String]
        if filterOp == .between {
            for p in [TaskProperty.value, .values] where props[p.rawValue] != nil {
                throw fail(.propertyNotAllowed, property: p, "property \(p.rawValue) does not apply to BETWEEN, which takes LOWER_BOUND and UPPER_BOUND")
            }
            guard let lower = props[TaskProperty.lowerBound.rawValue] else {
                throw fail(.missingProperty, property: .lowerBound, "BETWEEN requires the LOWER_BOUND property")
            }
            guard let upper = props[TaskProperty.upperBound.rawValue] else {
                throw fail(.missingProperty, property: .upperBound, "BETWEEN requires the UPPER_BOUND property")
            }
            operands = [lower, upper]
        } else {
            for p in [TaskProperty.lowerBound, .upperBound] where props[p.rawValue] != nil {
                throw fail(.propertyNotAllowed, property: p, "property \(p.rawValue) applies only to BETWEEN")
            }
            switch (props[TaskProperty.value.rawValue], props[TaskProperty.values.rawValue]) {
            case (let v?, nil): operands = [v]
            case (nil, let vs?): operands = try list(vs, .values)
            case (nil, nil): throw fail(.missingProperty, property: .value, "\(op) requires the VALUE or VALUES property")
            case (_?, _?): throw fail(.propertyNotAllowed, property: .values, "give either VALUE or VALUES, not both")
            }
            guard !operands.isEmpty else {
                throw fail(.invalidProperty, property: .values, "VALUES must hold at least one value")
            }
            let takesMany = filterOp == .equalTo || filterOp == .notEqualTo || filterOp == .contains
            if !takesMany, operands.count != 1 {
                throw fail(.invalidProperty, property: .values, "\(op) compares with one value; VALUES has \(operands.count)")
            }
        }
        if let dataType {
            try Self.typedOperands(operands, op: filterOp, as: dataType) { (code, property, message) in
                fail(code, field: field, property: property, message)
            }
        }
        return .filter(field: field, op: filterOp, dataType: dataType, operands: operands)
    }

    /// Types a filter's operands; also used at compile time when DATA_TYPE was left out.
    @discardableResult
    static func typedOperands(_ operands: [String], op: FilterCriterion.Operator, as type: FieldType,
                              fail: (TaskPlanError.Code, TaskProperty, String) -> TaskPlanError) throws(TaskPlanError) -> [Value] {
        var typed: [Value] = []
        for (i, text) in operands.enumerated() {
            let property: TaskProperty = op == .between ? (i == 0 ? .lowerBound : .upperBound) : (operands.count > 1 ? .values : .value)
            guard let v = TaskPropertyParsing.operand(text, as: type) else {
                throw fail(.invalidProperty, property, "\(property.rawValue) '\(text)' is not a valid \(type.rawValue)")
            }
            typed.append(v)
        }
        if op == .between, let c = FilterCriterion.compare(typed[0], typed[1]), c > 0 {
            throw fail(.invalidProperty, .lowerBound, "LOWER_BOUND '\(operands[0])' is greater than UPPER_BOUND '\(operands[1])'")
        }
        return typed
    }

    private func singleSource() throws(TaskPlanError) -> String {
        guard spec.sourceFields.count == 1 else {
            throw fail(.wrongSourceFieldCount, "\(kind.article) \(kind.rawValue) task takes exactly 1 source field, not \(spec.sourceFields.count)")
        }
        return spec.sourceFields[0]
    }

    private func requiredDestination() throws(TaskPlanError) -> String {
        guard let d = spec.destinationField else {
            throw fail(.missingDestinationField, "\(kind.article) \(kind.rawValue) task needs a destinationField")
        }
        return d
    }

    private func dataType(_ p: TaskProperty) throws(TaskPlanError) -> FieldType? {
        guard let text = spec.properties[p.rawValue] else { return nil }
        guard let t = FieldType(appFlowName: text) else {
            throw fail(.invalidProperty, property: p, "\(p.rawValue) '\(text)' is not a known data type")
        }
        return t
    }

    private func count(_ p: TaskProperty, requiredBy what: String) throws(TaskPlanError) -> Int {
        guard let text = spec.properties[p.rawValue] else {
            throw fail(.missingProperty, property: p, "\(what) requires the \(p.rawValue) property")
        }
        guard let n = TaskPropertyParsing.positiveCount(text) else {
            throw fail(.invalidProperty, property: p, "\(p.rawValue) must be a whole number of at least 1, not '\(text)'")
        }
        return n
    }

    private func list(_ text: String, _ p: TaskProperty) throws(TaskPlanError) -> [String] {
        guard let items = TaskPropertyParsing.list(text) else {
            throw fail(.invalidProperty, property: p, "\(p.rawValue) must be a JSON array of strings or a comma-separated list, not '\(text)'")
        }
        return items
    }

    private func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        for n in names where !seen.insert(n).inserted { return n }
        return nil
    }
}
