/// Resolves checked tasks against the source schema: field indexes, types, the output schema.
struct TaskPlanCompiler {
    let tasks: [CheckedTask]
    let source: Schema

    private var outFields: [Field] = []
    private var producers: [PlanSteps.Producer] = []
    private var outIndex: [String: Int] = [:]
    private var sourceIndex: [String: Int] = [:]

    init(tasks: [CheckedTask], source: Schema) {
        self.tasks = tasks
        self.source = source
        for (i, f) in source.fields.enumerated() where sourceIndex[f.name] == nil { sourceIndex[f.name] = i }
    }

    mutating func compile() throws(TaskPlanError) -> TaskPlan {
        var read = Set<Int>()
        var projected: [Int] = []
        var filters: [PlanSteps.Filter] = []
        var hasMapAll = false

        for task in tasks {
            switch task.step {
            case .mapAll(let exclude):
                hasMapAll = true
                for name in exclude { _ = try index(of: name, for: task, property: .excludeSourceFieldsList) }
                for (i, f) in source.fields.enumerated() where !exclude.contains(f.name) {
                    append(f, .copy(source: i))
                    read.insert(i)
                }
            case .projection(let names):
                for name in names {
                    let i = try index(of: name, for: task)
                    if !projected.contains(i) { projected.append(i) }
                }
            case .filter(let name, let op, let declared, let operands):
                let i = try index(of: name, for: task)
                let type = declared ?? source.fields[i].type
                let typed = try TaskChecker.typedOperands(operands, op: op, as: type) { code, property, message in
                    task.error(code, field: name, property: property.rawValue, message)
                }
                filters.append(.init(source: i, criterion: FilterCriterion(field: name, op: op, dataType: type, operands: typed)))
            default:
                break
            }
        }
        var explicitProducers = false
        for task in tasks where task.kind.producesField {
            explicitProducers = true
            try addProducer(task)
        }
        if !hasMapAll && !explicitProducers {
            for i in projected { append(source.fields[i], .copy(source: i)) }
        }
        var rewrites: [PlanSteps.Rewrite] = []
        var validations: [PlanSteps.Validation] = []
        var partitionKeys: [String] = []
        for task in tasks {
            switch task.step {
            case .mask(let s, let d, let style, let mark):
                rewrites.append(.init(output: try rewriteTarget(task, source: s, destination: d), kind: .mask(style, with: mark)))
            case .truncate(let s, let d, let n):
                rewrites.append(.init(output: try rewriteTarget(task, source: s, destination: d), kind: .truncate(n)))
            case .validate(let s, let d, let rule, let action):
                validations.append(try validation(task, source: s, destination: d, rule: rule, action: action))
            case .partition(let keys):
                for k in keys where outIndex[k] == nil {
                    throw task.error(.fieldNotInOutput, field: k, property: TaskProperty.orderedPartitionKeysList.rawValue,
                                     "partition key '\(k)' is not a field of the flow's output")
                }
                partitionKeys = keys
            default:
                break
            }
        }
        let steps = PlanSteps(filters: filters, producers: producers, rewrites: rewrites, validations: validations)
        read.formUnion(projected)
        read.formUnion(steps.sourceIndexes)
        return TaskPlan(sourceSchema: source, outputSchema: Schema(outFields),
                        projection: read.sorted().map { source.fields[$0].name },
                        filterCriteria: filters.map(\.criterion), partitionKeys: partitionKeys, steps: steps)
    }

    /// Adds an output field; one with the name of a Map_all field takes that field's place.
    private mutating func append(_ field: Field, _ producer: PlanSteps.Producer) {
        if let i = outIndex[field.name] {
            outFields[i] = field
            producers[i] = producer
        } else {
            outIndex[field.name] = outFields.count
            outFields.append(field)
            producers.append(producer)
        }
    }

    private mutating func addProducer(_ task: CheckedTask) throws(TaskPlanError) {
        let label = "Task \(task.number) (\(task.kind.rawValue))"
        switch task.step {
        case .map(let s, let d, let convertTo):
            let i = try index(of: s, for: task)
            let f = source.fields[i]
            if let convertTo {
                append(Field(name: d, type: convertTo, nullable: f.nullable), .convert(source: i, to: convertTo, label: label, field: s))
            } else {
                append(Field(name: d, type: f.type, nullable: f.nullable), .copy(source: i))
            }
        case .passthrough(let s, let d):
            let i = try index(of: s, for: task)
            append(Field(name: d, type: source.fields[i].type, nullable: source.fields[i].nullable), .copy(source: i))
        case .merge(let sources, let d, let format):
            var slots: [PlanSteps.MergeSlot] = []
            for name in sources { _ = try index(of: name, for: task) }
            for part in format {
                switch part {
                case .literal(let text): slots.append(.literal(text))
                case .field(let name): slots.append(.field(try index(of: name, for: task)))
                }
            }
            append(Field(name: d, type: .string, nullable: false), .merge(slots))
        case .arithmetic(let op, let l, let r, let d, let declared):
            let li = try index(of: l, for: task), ri = try index(of: r, for: task)
            for i in [li, ri] {
                let f = source.fields[i]
                guard [.int, .double, .decimal, .string].contains(f.type) else {
                    throw task.error(.incompatibleFieldType, field: f.name,
                                     "source field '\(f.name)' has type \(f.type.rawValue); Arithmetic needs numbers")
                }
            }
            let type = declared ?? (source.fields[li].type == .double || source.fields[ri].type == .double ? .double : .decimal)
            append(Field(name: d, type: type, nullable: true),
                   .arithmetic(op, lhs: li, rhs: ri, as: type, label: label, fields: (l, r)))
        default:
            break
        }
    }

    /// The output field a Mask/Truncate rewrites: an existing output field named
    /// `destinationField ?? sourceFields[0]`, or a new field `destinationField` copied from the source.
    private mutating func rewriteTarget(_ task: CheckedTask, source name: String, destination: String?) throws(TaskPlanError) -> Int {
        let target = destination ?? name
        if let i = outIndex[target] {
            outFields[i].type = .string
            return i
        }
        guard destination != nil else { throw task.notInOutput(target) }
        let s = try index(of: name, for: task)
        append(Field(name: target, type: .string, nullable: source.fields[s].nullable), .copy(source: s))
        return outFields.count - 1
    }

    /// A Validate task checks the output field named `destinationField ?? sourceFields[0]`, or the
    /// source field when the output has no such field.
    private func validation(_ task: CheckedTask, source name: String, destination: String?, rule: ValidationRule,
                            action: ValidationAction) throws(TaskPlanError) -> PlanSteps.Validation {
        let label = "Task \(task.number) (\(task.kind.rawValue))"
        let target: PlanSteps.Validation.Target
        let field: Field
        if let i = outIndex[destination ?? name] {
            target = .output(i)
            field = outFields[i]
        } else {
            let s = try index(of: name, for: task)
            target = .source(s)
            field = source.fields[s]
        }
        if rule == .nonZero || rule == .nonNegative, [.bool, .date, .timestamp].contains(field.type) {
            throw task.error(.incompatibleFieldType, field: field.name,
                             "field '\(field.name)' has type \(field.type.rawValue); \(rule.rawValue) needs numbers")
        }
        return .init(target: target, rule: rule, action: action, label: label, field: field.name)
    }

    private func index(of name: String, for task: CheckedTask, property: TaskProperty? = nil) throws(TaskPlanError) -> Int {
        if let i = sourceIndex[name] { return i }
        throw task.error(.unknownSourceField, field: name, property: property?.rawValue,
                         "source field '\(name)' does not exist in the source; \(Self.hint(for: name, in: source.names))")
    }

    /// A few of the known field names, a near match first.
    static func hint(for name: String, in names: [String]) -> String {
        guard !names.isEmpty else { return "the source has no fields" }
        var text = ""
        if let near = names.first(where: { $0.lowercased() == name.lowercased() }) { text = "did you mean '\(near)'? " }
        let shown = names.prefix(8).joined(separator: ", ")
        let more = names.count > 8 ? ", … (\(names.count - 8) more)" : ""
        return text + "known fields: " + shown + more
    }
}
