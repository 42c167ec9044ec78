import Foundation
import FlowlineAPI

extension FlowDraft {
    /// The wizard's view of a stored flow, for editing it: its tasks read back into the mapping,
    /// mask, truncate, validation and filter rows the wizard writes.
    init(editing flow: AppFlow.DescribeFlowResponse) {
        self.init()
        let json = flow.json(.iso8601)
        editing = flow.flowName
        flowName = flow.flowName ?? ""
        description = flow.description ?? ""
        kmsArn = flow.kmsArn ?? ""
        tagsText = (flow.tags ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
        let source = json["sourceFlowConfig"]
        sourceType = Self.text(source?["connectorType"]) ?? "S3"
        sourceProfile = Self.text(source?["connectorProfileName"]) ?? ""
        if case .object(let members)? = source?["sourceConnectorProperties"], let properties = members.first?.value {
            sourceEntity = Self.text(properties["bucketName"]) ?? Self.text(properties["object"]) ?? Self.text(properties["objectPath"]) ?? ""
            sourcePrefix = Self.text(properties["bucketPrefix"]) ?? ""
            sourceFileType = Self.text(properties["s3InputFormatConfig"]?["s3InputFileType"]) ?? "CSV"
        }
        datetimeField = Self.text(source?["incrementalPullConfig"]?["datetimeTypeFieldName"]) ?? ""
        if case .array(let list)? = json["destinationFlowConfigList"], let destination = list.first {
            destinationType = Self.text(destination["connectorType"]) ?? "S3"
            destinationProfile = Self.text(destination["connectorProfileName"]) ?? ""
            if case .object(let members)? = destination["destinationConnectorProperties"], let properties = members.first?.value {
                destinationBucket = Self.text(properties["bucketName"]) ?? ""
                destinationPrefix = Self.text(properties["bucketPrefix"]) ?? ""
                destinationFileType = Self.text(properties["s3OutputFormatConfig"]?["fileType"]) ?? "CSV"
                if case .bool(let keep)? = properties["s3OutputFormatConfig"]?["preserveSourceDataTyping"] { preserveTypes = keep } else { preserveTypes = false }
                destinationObject = Self.text(properties["object"]) ?? ""
                intermediateBucket = Self.text(properties["intermediateBucketName"]) ?? ""
            }
        }
        let trigger = json["triggerConfig"]
        triggerType = Self.text(trigger?["triggerType"]) ?? "OnDemand"
        if let scheduled = trigger?["triggerProperties"]?["Scheduled"] {
            scheduleExpression = Self.text(scheduled["scheduleExpression"]) ?? scheduleExpression
            dataPullMode = Self.text(scheduled["dataPullMode"]) ?? "Complete"
            timezone = Self.text(scheduled["timezone"]) ?? "UTC"
            let typed = flow.triggerConfig?.triggerProperties?.Scheduled
            scheduleStart = typed?.scheduleStartTime.map { Self.localText($0, timeZone: timezone) } ?? ""
            scheduleEnd = typed?.scheduleEndTime.map { Self.localText($0, timeZone: timezone) } ?? ""
        }
        readTasks(json["tasks"])
    }

    private mutating func readTasks(_ json: JSONValue?) {
        guard case .array(let tasks)? = json else { return }
        var projection: [String]?
        var maps: [FieldMapping] = []
        for task in tasks {
            let type = Self.text(task["taskType"]) ?? ""
            var fields: [String] = []
            if case .array(let items)? = task["sourceFields"] { fields = items.compactMap { Self.text($0) } }
            var op = ""
            if case .object(let members)? = task["connectorOperator"], let first = members.first { op = Self.text(first.value) ?? "" }
            let property = { (key: String) in Self.text(task["taskProperties"]?[key]) ?? "" }
            let first = fields.first ?? ""
            switch (type, op) {
            case ("Map_all", _): mappingMode = "all"
            case ("Filter", "PROJECTION"): projection = fields
            case ("Map", _):
                let destination = Self.text(task["destinationField"]) ?? first
                maps.append(FieldMapping(source: first, destination: destination == first ? "" : destination, dataType: property("DESTINATION_DATA_TYPE")))
            case ("Merge", _):
                merges.append(MergeRow(first: first, second: fields.dropFirst().first ?? "", format: property("CONCAT_FORMAT"),
                                       destination: Self.text(task["destinationField"]) ?? ""))
            case ("Mask", _): masks.append(MaskRow(field: first, op: op, length: property("MASK_LENGTH"), character: property("MASK_VALUE")))
            case ("Truncate", _): truncates.append(TruncateRow(field: first, length: property("TRUNCATE_LENGTH")))
            case ("Validate", _): validations.append(ValidationRow(field: first, op: op, action: property("VALIDATION_ACTION")))
            case ("Filter", _):
                let between = op == "BETWEEN"
                filters.append(FilterRow(field: first, op: op, value: between ? property("LOWER_BOUND") : property("VALUE"),
                                         upper: between ? property("UPPER_BOUND") : "", dataType: property("DATA_TYPE")))
            default: break
            }
        }
        let sources = maps.map(\.source)
        if let projection {
            if Set(sources).count == sources.count, Set(sources) == Set(projection) {
                // One Map per projected field: the wizard's "pick" (with names and types).
                mappingMode = "pick"
                pickedFields = projection
                mappings = maps
            } else {
                mappingMode = "csv"
                csvText = "source,destination\n" + maps.map { "\($0.source),\($0.destination.isEmpty ? $0.source : $0.destination)" }.joined(separator: "\n") + "\n"
            }
        } else {
            // Map_all, with Maps that type fields in place.
            mappings = maps
        }
    }

    private static func text(_ json: JSONValue?) -> String? {
        if case .string(let s)? = json { return s }
        return nil
    }
}
