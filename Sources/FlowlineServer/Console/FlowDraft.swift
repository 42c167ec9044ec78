import FlowlineAPI
import FlowlineConnectors
import FlowlineService

/// The flow the wizard is building, kept in the session between steps, and the AppFlow request it becomes.
struct FlowDraft: Sendable {
    enum Step: String, CaseIterable, Sendable {
        case details, connections, trigger, mapping, filters, review

        var title: String {
            switch self {
            case .details: "Flow details"
            case .connections: "Source and destination"
            case .trigger: "Trigger"
            case .mapping: "Field mapping"
            case .filters: "Filters"
            case .review: "Review and create"
            }
        }

        /// Form field → the request member paths whose messages belong next to it.
        var errorFields: [String: [String]] {
            switch self {
            case .details:
                return ["flowName": ["flowName"], "description": ["description"], "kmsArn": ["kmsArn"], "tags": ["tags"]]
            case .connections:
                return ["sourceType": ["sourceFlowConfig.connectorType"], "sourceProfile": ["sourceFlowConfig.connectorProfileName"],
                        "sourceEntity": ["sourceFlowConfig", "sourceFlowConfig.sourceConnectorProperties"],
                        "sourcePrefix": ["sourceFlowConfig.sourceConnectorProperties.S3.bucketPrefix"],
                        "destinationType": ["destinationFlowConfigList", "destinationFlowConfigList.1.member.connectorType"],
                        "destinationProfile": ["destinationFlowConfigList.1.member.connectorProfileName"],
                        "destinationBucket": ["destinationFlowConfigList.1.member.destinationConnectorProperties",
                                              "destinationFlowConfigList.1.member.destinationConnectorProperties.S3.bucketName"],
                        "destinationPrefix": ["destinationFlowConfigList.1.member.destinationConnectorProperties.S3.bucketPrefix"],
                        "destinationObject": ["destinationFlowConfigList.1.member.destinationConnectorProperties.Redshift.object"],
                        "intermediateBucket": ["destinationFlowConfigList.1.member.destinationConnectorProperties.Redshift.intermediateBucketName"]]
            case .trigger:
                return ["triggerType": ["triggerConfig", "triggerConfig.triggerType", "Trigger"],
                        "scheduleExpression": ["triggerConfig.triggerProperties", "triggerConfig.triggerProperties.Scheduled.scheduleExpression", "scheduleEndTime"],
                        "datetimeField": ["sourceFlowConfig.incrementalPullConfig", "incrementalPullConfig.datetimeTypeFieldName"]]
            case .mapping:
                return ["mapping": ["tasks"]]
            case .filters:
                return ["filters": ["filters"]]
            case .review:
                return [:]
            }
        }
    }

    struct MergeRow: Sendable, Equatable { var first = "", second = "", format = "", destination = "" }
    struct MaskRow: Sendable, Equatable { var field = "", op = "MASK_ALL", length = "", character = "" }
    struct TruncateRow: Sendable, Equatable { var field = "", length = "" }
    struct ValidationRow: Sendable, Equatable { var field = "", op = "VALIDATE_NON_NULL", action = "DropRecord" }
    struct FilterRow: Sendable, Equatable { var field = "", op = "EQUAL_TO", value = "", upper = "", dataType = "" }

    static let maxFilters = 10

    /// Set when the wizard edits an existing flow (update-flow; the name, key and tags stay).
    var editing: String?
    var flowName = "", description = "", kmsArn = "", tagsText = ""
    var sourceType = "S3", sourceProfile = "", sourceEntity = "", sourcePrefix = "", sourceFileType = "CSV"
    var destinationType = "S3", destinationProfile = "", destinationBucket = "", destinationPrefix = ""
    var destinationFileType = "CSV", destinationObject = "", intermediateBucket = ""
    var triggerType = "OnDemand", scheduleExpression = "rate(1hours)", dataPullMode = "Complete", datetimeField = ""
    var mappingMode = "all", pickedFields: [String] = [], csvText = ""
    var merges: [MergeRow] = [], masks: [MaskRow] = [], truncates: [TruncateRow] = [], validations: [ValidationRow] = []
    var filters: [FilterRow] = []
    /// Messages from the last attempt to create, shown on the step they belong to.
    var pendingErrors: [Step: FieldErrors] = [:]

    var sourceCaps: ConnectorCapabilities? { ConnectorCatalog.capabilities(of: sourceType) }
    var operatorKey: String { sourceCaps?.propertiesKey ?? sourceType }

    /// The S3 entity that names the source objects (`bucket/prefix`), or the SaaS object.
    var sourceEntityName: String {
        guard sourceType == "S3" else { return sourceEntity }
        return sourcePrefix.isEmpty ? sourceEntity : sourceEntity + "/" + sourcePrefix
    }

    /// `key=value` lines; a line without `=` is a key with an empty value.
    var tags: [(String, String)] {
        tagsText.split(whereSeparator: \.isNewline).compactMap { line in
            let text = line.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        }
    }

    // MARK: The request

    /// The create-flow request (update-flow leaves out the name's siblings it does not take).
    func request(forUpdate: Bool = false) throws(AppFlowError) -> JSONValue {
        var members: JSONValue.Members = [("flowName", .string(flowName))]
        if !description.isEmpty { members.append(("description", .string(description))) }
        if !forUpdate {
            if !kmsArn.isEmpty { members.append(("kmsArn", .string(kmsArn))) }
            let tags = self.tags
            if !tags.isEmpty { members.append(("tags", .object(tags.map { ($0.0, .string($0.1)) }))) }
        }
        members.append(("triggerConfig", triggerConfig))
        members.append(("sourceFlowConfig", sourceFlowConfig))
        members.append(("destinationFlowConfigList", .array([destinationFlowConfig])))
        members.append(("tasks", .array(try tasks())))
        return .object(members)
    }

    private var triggerConfig: JSONValue {
        var members: JSONValue.Members = [("triggerType", .string(triggerType))]
        if triggerType == "Scheduled" {
            members.append(("triggerProperties", .object([("Scheduled", .object([
                ("scheduleExpression", .string(scheduleExpression)), ("dataPullMode", .string(dataPullMode))]))])))
        }
        return .object(members)
    }

    private var sourceFlowConfig: JSONValue {
        var members: JSONValue.Members = [("connectorType", .string(sourceType))]
        if !sourceProfile.isEmpty { members.append(("connectorProfileName", .string(sourceProfile))) }
        let properties: JSONValue
        if sourceType == "S3" {
            var s3: JSONValue.Members = [("bucketName", .string(sourceEntity))]
            if !sourcePrefix.isEmpty { s3.append(("bucketPrefix", .string(sourcePrefix))) }
            s3.append(("s3InputFormatConfig", .object([("s3InputFileType", .string(sourceFileType))])))
            properties = .object(s3)
        } else {
            properties = .object([(operatorKey == "SAPOData" ? "objectPath" : "object", .string(sourceEntity))])
        }
        members.append(("sourceConnectorProperties", .object([(operatorKey, properties)])))
        if triggerType == "Scheduled", dataPullMode == "Incremental", !datetimeField.isEmpty {
            members.append(("incrementalPullConfig", .object([("datetimeTypeFieldName", .string(datetimeField))])))
        }
        return .object(members)
    }

    private var destinationFlowConfig: JSONValue {
        var members: JSONValue.Members = [("connectorType", .string(destinationType))]
        if !destinationProfile.isEmpty { members.append(("connectorProfileName", .string(destinationProfile))) }
        let properties: JSONValue.Members
        if destinationType == "Redshift" {
            var redshift: JSONValue.Members = [("object", .string(destinationObject)), ("intermediateBucketName", .string(intermediateBucket))]
            if !destinationPrefix.isEmpty { redshift.append(("bucketPrefix", .string(destinationPrefix))) }
            properties = [("Redshift", .object(redshift))]
        } else {
            var s3: JSONValue.Members = [("bucketName", .string(destinationBucket))]
            if !destinationPrefix.isEmpty { s3.append(("bucketPrefix", .string(destinationPrefix))) }
            s3.append(("s3OutputFormatConfig", .object([("fileType", .string(destinationFileType))])))
            properties = [(ConnectorCatalog.capabilities(of: destinationType)?.propertiesKey ?? destinationType, .object(s3))]
        }
        members.append(("destinationConnectorProperties", .object(properties)))
        return .object(members)
    }

    private func task(_ fields: [String], _ op: String, _ type: String, destination: String? = nil,
                      _ properties: [(String, String)] = []) -> JSONValue {
        var members: JSONValue.Members = [("sourceFields", .array(fields.map(JSONValue.string))),
                                          ("connectorOperator", .object([(operatorKey, .string(op))]))]
        if let destination, !destination.isEmpty { members.append(("destinationField", .string(destination))) }
        members.append(("taskType", .string(type)))
        members.append(("taskProperties", .object(properties.filter { !$0.1.isEmpty }.map { ($0.0, .string($0.1)) })))
        return .object(members)
    }

    /// Mapping first (map all / picked fields / CSV pairs, then merges), then masks, truncations,
    /// validations and filters, in the order the task plan applies them.
    func tasks() throws(AppFlowError) -> [JSONValue] {
        var tasks: [JSONValue] = []
        switch mappingMode {
        case "pick":
            tasks.append(task(pickedFields, "PROJECTION", "Filter"))
            for field in pickedFields { tasks.append(task([field], "NO_OP", "Map", destination: field)) }
        case "csv":
            tasks += try FieldMappingCSV.tasks(fromCSV: csvText, sourceConnectorType: sourceType).map { $0.json(.epochSeconds) }
        default:
            tasks.append(task([], "NO_OP", "Map_all"))
        }
        for merge in merges where !merge.first.isEmpty || !merge.second.isEmpty {
            let fields = [merge.first, merge.second].filter { !$0.isEmpty }
            let format = merge.format.isEmpty ? fields.map { "${\($0)}" }.joined(separator: " ") : merge.format
            tasks.append(task(fields, "NO_OP", "Merge", destination: merge.destination, [("CONCAT_FORMAT", format)]))
        }
        for mask in masks where !mask.field.isEmpty {
            tasks.append(task([mask.field], mask.op, "Mask", [("MASK_LENGTH", mask.length), ("MASK_VALUE", mask.character)]))
        }
        for truncate in truncates where !truncate.field.isEmpty {
            tasks.append(task([truncate.field], "NO_OP", "Truncate", [("TRUNCATE_LENGTH", truncate.length)]))
        }
        for validation in validations where !validation.field.isEmpty {
            tasks.append(task([validation.field], validation.op, "Validate", [("VALIDATION_ACTION", validation.action)]))
        }
        for filter in filters where !filter.field.isEmpty {
            let properties = filter.op == "BETWEEN"
                ? [("LOWER_BOUND", filter.value), ("UPPER_BOUND", filter.upper), ("DATA_TYPE", filter.dataType)]
                : [("VALUE", filter.value), ("DATA_TYPE", filter.dataType)]
            tasks.append(task([filter.field], filter.op, "Filter", properties))
        }
        return tasks
    }

    /// Which step a task (1-based, as the service numbers them in messages) was made on.
    func step(ofTask number: Int) -> Step {
        let filterTasks = filters.filter { !$0.field.isEmpty }.count
        let total = (try? tasks().count) ?? 0
        return number > total - filterTasks ? .filters : .mapping
    }

    /// The service's messages for this draft, split by the step whose fields they concern.
    func errorsByStep(_ error: AppFlowError) -> [Step: FieldErrors] {
        var out: [Step: FieldErrors] = [:]
        for failure in FieldErrors.failures(error) {
            var placed = false
            for step in Step.allCases where step != .review {
                if let field = FieldErrors.field(for: failure, fields: step.errorFields) {
                    if field == "mapping", let path = FieldErrors.memberPath(of: failure),
                       let number = Int(path.split(separator: ".").dropFirst().first ?? ""), self.step(ofTask: number) == .filters {
                        out[.filters, default: FieldErrors()].add(failure, to: "filters")
                    } else {
                        out[step, default: FieldErrors()].add(failure, to: field)
                    }
                    placed = true
                    break
                }
            }
            if !placed { out[.review, default: FieldErrors()].add(failure, to: nil) }
        }
        return out
    }
}
