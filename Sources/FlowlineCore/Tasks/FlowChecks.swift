/// Checks across a flow's tasks that need no source schema: a field selection exists, filter
/// limits, unique destinations, single Map_all/Partition, and (when no Map_all hides the
/// output's shape) that Mask/Truncate/Partition name fields the output will have.
struct FlowChecks {
    let tasks: [CheckedTask]

    func run() throws(TaskPlanError) {
        var mapAll: CheckedTask?, partition: CheckedTask?
        var hasProjection = false
        var filterCount = 0
        var writers: [String: CheckedTask] = [:]
        var producerNames: [String] = []
        var projected: [String] = []

        for task in tasks {
            switch task.step {
            case .mapAll:
                if let first = mapAll {
                    throw task.error(.duplicateTask, "a flow takes one Map_all task; task \(first.number) is already one")
                }
                mapAll = task
            case .partition:
                if let first = partition {
                    throw task.error(.duplicateTask, "a flow takes one Partition task; task \(first.number) is already one")
                }
                partition = task
            case .projection(let fields):
                hasProjection = true
                for f in fields where !projected.contains(f) { projected.append(f) }
            case .filter(_, _, _, let operands):
                filterCount += 1
                if filterCount > TaskPlan.maxFilterTasks {
                    throw task.error(.tooManyFilters, "the flow has more than \(TaskPlan.maxFilterTasks) filter tasks (PROJECTION filters are not counted)")
                }
                let criteria = task.criteriaCount(operands)
                if criteria > TaskPlan.maxCriteriaPerFilter {
                    throw task.error(.tooManyCriteria, property: TaskProperty.values.rawValue,
                                     "a filter takes at most \(TaskPlan.maxCriteriaPerFilter) values; this one has \(criteria)")
                }
            case .map(_, let d, _), .passthrough(_, let d), .merge(_, let d, _), .arithmetic(_, _, _, let d, _):
                if let first = writers[d] {
                    throw task.error(.duplicateDestinationField, field: d,
                                     "destination field '\(d)' is already written by task \(first.number) (\(first.kind.rawValue))")
                }
                writers[d] = task
                producerNames.append(d)
            default:
                break
            }
        }
        guard mapAll != nil || hasProjection else {
            throw TaskPlanError(.noFieldSelection, message: "The flow needs a Map_all task or a Filter task with the PROJECTION operator")
        }
        guard mapAll == nil else { return }
        // Without Map_all the output is the producers' fields, or the projection when there are none.
        var output = Set(producerNames.isEmpty ? projected : producerNames)
        for task in tasks {
            switch task.step {
            case .mask(let s, let d, _, _), .truncate(let s, let d, _):
                let target = d ?? s
                if !output.contains(target) {
                    guard d != nil else { throw task.notInOutput(target) }
                    output.insert(target)
                }
            default:
                break
            }
        }
        if let partition, case .partition(let keys) = partition.step {
            for k in keys where !output.contains(k) {
                throw partition.error(.fieldNotInOutput, field: k, property: TaskProperty.orderedPartitionKeysList.rawValue,
                                      "partition key '\(k)' is not a field of the flow's output")
            }
        }
    }
}

extension CheckedTask {
    /// Criteria of a filter task: one per operand value, BETWEEN's two bounds counting as one.
    func criteriaCount(_ operands: [String]) -> Int {
        if case .filter(_, .between, _, _) = step { return 1 }
        return operands.count
    }

    func notInOutput(_ field: String) -> TaskPlanError {
        error(.fieldNotInOutput, field: field,
              "field '\(field)' is not in the flow's output; map it first, or give the \(kind.rawValue) task a destinationField")
    }
}
