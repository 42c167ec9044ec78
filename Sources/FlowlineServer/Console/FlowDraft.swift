import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
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
                let scheduled = "triggerConfig.triggerProperties.Scheduled"
                return ["triggerType": ["triggerConfig", "triggerConfig.triggerType", "Trigger"],
                        "scheduleExpression": ["triggerConfig.triggerProperties", scheduled, scheduled + ".scheduleExpression"],
                        "scheduleStart": [scheduled + ".scheduleStartTime", "scheduleStartTime"],
                        "scheduleEnd": [scheduled + ".scheduleEndTime", "scheduleEndTime"],
                        "timezone": [scheduled + ".timezone"],
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
    /// A filter row; an empty `dataType` means automatic: the type the field's values suggest.
    struct FilterRow: Sendable, Equatable { var field = "", op = "EQUAL_TO", value = "", upper = "", dataType = "" }
    /// Where a source field goes: its destination name ("" keeps the name) and data type ("" is
    /// automatic: the sampled type when the destination keeps types, else the source's own).
    struct FieldMapping: Sendable, Equatable { var source: String, destination = "", dataType = "" }

    static let maxFilters = 10

    /// Set when the wizard edits an existing flow (update-flow; the name, key and tags stay).
    var editing: String?
    var flowName = "", description = "", kmsArn = "", tagsText = ""
    var sourceType = "S3", sourceProfile = "", sourceEntity = "", sourcePrefix = "", sourceFileType = "CSV"
    var destinationType = "S3", destinationProfile = "", destinationBucket = "", destinationPrefix = ""
    var destinationFileType = "CSV", destinationObject = "", intermediateBucket = ""
    /// Parquet's `preserveSourceDataTyping`: typed columns rather than every column as text.
    var preserveTypes = true
    var triggerType = "OnDemand", scheduleExpression = "rate(1hours)", dataPullMode = "Complete", datetimeField = ""
    /// `YYYY-MM-DDTHH:MM` (a datetime-local input's value) in `timezone`; empty: not set.
    var scheduleStart = "", scheduleEnd = "", timezone = "UTC"
    var mappingMode = "all", pickedFields: [String] = [], csvText = ""
    var mappings: [FieldMapping] = []
    /// The source's fields and their types, read when a step first needs them.
    var sourceFields: SourceFieldList?
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

    /// Names the source whose fields `sourceFields` holds: a change means reading them again.
    var sourceFieldsKey: String {
        [sourceType, sourceProfile, sourceEntityName, sourceType == "S3" ? sourceFileType : ""].joined(separator: "|")
    }

    /// The fields, when they are those of the current source.
    var currentFields: SourceFieldList? { sourceFields?.key == sourceFieldsKey ? sourceFields : nil }

    /// Whether the destination keeps data types, so that automatic mapping types are the sampled ones.
    var destinationKeepsTypes: Bool { destinationType == "S3" && destinationFileType == "PARQUET" && preserveTypes }

    func mapping(of field: String) -> FieldMapping { mappings.first { $0.source == field } ?? FieldMapping(source: field) }

    /// The DESTINATION_DATA_TYPE a mapped field gets: the type chosen; automatic, for a destination
    /// that keeps types, the sampled type where it differs from the source's (CSV text that holds
    /// numbers or dates); otherwise none (the value goes as the source gives it).
    func destinationDataType(of field: String) -> String? {
        let chosen = mapping(of: field).dataType
        if !chosen.isEmpty { return chosen }
        guard destinationKeepsTypes, let f = currentFields?.field(field), f.sampledType != f.sourceType else { return nil }
        return DataTypeName.appFlow(f.sampledType)
    }

    /// The type a filter compares as: the one chosen, else what the field's values suggest.
    func comparisonType(_ row: FilterRow) -> FieldType? {
        if !row.dataType.isEmpty { return FieldType(appFlowName: row.dataType) }
        return currentFields?.field(row.field)?.sampledType
    }

    /// The DATA_TYPE a filter task carries: the type chosen; automatic, the sampled type where it
    /// differs from the source's (numbers in CSV text), else none, so the field's own type applies.
    /// CONTAINS matches text and takes none. Automatic on a whole-number field with a fractional
    /// operand compares as double, so `>= 999.5` is accepted.
    func filterDataType(_ row: FilterRow) -> String? {
        guard row.op != "CONTAINS" else { return nil }
        if !row.dataType.isEmpty { return row.dataType }
        guard let field = currentFields?.field(row.field), field.sampledType != field.sourceType else { return nil }
        let type = field.sampledType
        let operands = row.op == "BETWEEN" ? [row.value, row.upper] : [row.value]
        if type == .int, operands.contains(where: { Int64($0.trimmingCharacters(in: .whitespaces)) == nil }) { return "double" }
        return DataTypeName.appFlow(type)
    }

    /// The operators a filter row may use: what the application offers for the field, else by the comparison type.
    func filterOperators(_ row: FilterRow) -> [String] {
        if row.dataType.isEmpty, let offered = currentFields?.field(row.field)?.operators, !offered.isEmpty {
            return FilterOperators.all.map(\.op).filter(offered.contains)
        }
        return comparisonType(row).map(FilterOperators.allowed) ?? FilterOperators.all.map(\.op)
    }

    /// Schedule times as epoch seconds; nil when empty. A text that is not a date and time throws,
    /// naming the field.
    func scheduleTime(_ text: String, field: String) throws(AppFlowError) -> Double? {
        guard !text.isEmpty else { return nil }
        guard let date = Self.date(fromLocal: text, timeZone: timezone) else {
            throw .validation("\(field) must be a date and time (YYYY-MM-DDTHH:MM), not '\(text)'")
        }
        return date.timeIntervalSince1970
    }

    /// `2026-05-01T09:30` in a time zone (an unknown zone is taken as UTC; the service names it).
    static func date(fromLocal text: String, timeZone: String) -> Date? {
        let parts = text.split(whereSeparator: { "-T: ".contains($0) }).map { Int($0) }
        guard parts.count == 5 || parts.count == 6, !parts.contains(nil) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let c = DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4],
                               second: parts.count == 6 ? parts[5] : 0)
        guard let date = calendar.date(from: c), calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
            == DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: parts[3], minute: parts[4]) else { return nil }
        return date
    }

    /// The datetime-local text of an instant in a time zone.
    static func localText(_ date: Date, timeZone: String) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02dT%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
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

    // MARK: Summaries (review step, flow page)

    var sourceSummary: String { sourceType + (sourceProfile.isEmpty ? "" : " (\(sourceProfile))") + ": " + sourceEntityName }

    var destinationSummary: String {
        if destinationType == "Redshift" { return "Redshift (\(destinationProfile)): table \(destinationObject)" }
        let path = [destinationBucket, destinationPrefix].filter { !$0.isEmpty }.joined(separator: "/")
        let typed = destinationFileType == "PARQUET" ? (preserveTypes ? ", typed columns" : ", every column as text") : ""
        return "\(destinationType): s3://\(path)/ as \(destinationFileType)\(typed)"
    }

    var triggerSummary: String {
        guard triggerType == "Scheduled" else { return triggerType }
        var text = "Scheduled: \(scheduleExpression), \(dataPullMode == "Incremental" ? "incremental on \(datetimeField)" : "full transfer")"
        if !scheduleStart.isEmpty { text += ", from \(scheduleStart.replacingOccurrences(of: "T", with: " "))" }
        if !scheduleEnd.isEmpty { text += " until \(scheduleEnd.replacingOccurrences(of: "T", with: " "))" }
        return text + " (\(timezone))"
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
        members.append(("triggerConfig", try triggerConfig()))
        members.append(("sourceFlowConfig", sourceFlowConfig))
        members.append(("destinationFlowConfigList", .array([destinationFlowConfig])))
        members.append(("tasks", .array(try tasks())))
        return .object(members)
    }

    private func triggerConfig() throws(AppFlowError) -> JSONValue {
        var members: JSONValue.Members = [("triggerType", .string(triggerType))]
        if triggerType == "Scheduled" {
            var scheduled: JSONValue.Members = [("scheduleExpression", .string(scheduleExpression)), ("dataPullMode", .string(dataPullMode))]
            if let start = try scheduleTime(scheduleStart, field: "scheduleStartTime") { scheduled.append(("scheduleStartTime", .number(start))) }
            if let end = try scheduleTime(scheduleEnd, field: "scheduleEndTime") { scheduled.append(("scheduleEndTime", .number(end))) }
            if !timezone.isEmpty { scheduled.append(("timezone", .string(timezone))) }
            members.append(("triggerProperties", .object([("Scheduled", .object(scheduled))])))
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
            var format: JSONValue.Members = [("fileType", .string(destinationFileType))]
            if destinationFileType == "PARQUET" { format.append(("preserveSourceDataTyping", .bool(preserveTypes))) }
            s3.append(("s3OutputFormatConfig", .object(format)))
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
            for field in pickedFields { tasks.append(mapTask(field)) }
        case "csv":
            tasks += try FieldMappingCSV.tasks(fromCSV: csvText, sourceConnectorType: sourceType).map { $0.json(.epochSeconds) }
        default:
            let names = currentFields?.names ?? []
            if names.contains(where: { !mapping(of: $0).destination.isEmpty && mapping(of: $0).destination != $0 }) {
                // A renamed field: Map_all would keep the old name too, so every field is mapped by name.
                tasks.append(task(names, "PROJECTION", "Filter"))
                for field in names { tasks.append(mapTask(field)) }
            } else {
                // Map_all, and a Map that converts in place each field that gets a data type.
                tasks.append(task([], "NO_OP", "Map_all"))
                for field in names where destinationDataType(of: field) != nil { tasks.append(mapTask(field)) }
            }
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
            var properties = filter.op == "BETWEEN" ? [("LOWER_BOUND", filter.value), ("UPPER_BOUND", filter.upper)] : [("VALUE", filter.value)]
            if let type = filterDataType(filter) { properties.append(("DATA_TYPE", type)) }
            tasks.append(task([filter.field], filter.op, "Filter", properties))
        }
        return tasks
    }

    /// A picked or typed field: its Map task, with its destination name and data type.
    private func mapTask(_ field: String) -> JSONValue {
        let m = mapping(of: field)
        let properties = destinationDataType(of: field).map { [("DESTINATION_DATA_TYPE", $0)] } ?? []
        return task([field], "NO_OP", "Map", destination: m.destination.isEmpty ? field : m.destination, properties)
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
