import FlowlineAPI

/// Maps resolved CloudFormation property trees onto AppFlow API request members.
///
/// Most names map by lowercasing the first letter (`SourceFlowConfig` → `sourceFlowConfig`). The
/// tables below list every place where the two models differ, found by walking CloudFormation's
/// resource schemas against the API model; the structural differences (lists of `{Key, Value}` for
/// maps, unwrapped trigger properties) are handled where the walk meets them.
enum PropertyMapping {
    /// CloudFormation names whose API spelling is not the first letter lowercased.
    static let renamed: [String: String] = [
        "KMSArn": "kmsArn",
        "ConnectorOAuthRequest": "oAuthRequest",
        "FailOnFirstError": "failOnFirstDestinationError",
        "TimeZone": "timezone",
    ]

    /// Objects whose members are named after connector types (`Salesforce`, `ServiceNow`, `SAPOData`,
    /// `S3`…), spelled the same in both models.
    static let connectorKeyed: Set<String> = [
        "SourceConnectorProperties", "DestinationConnectorProperties", "ConnectorOperator",
        "ConnectorProfileCredentials", "ConnectorProfileProperties",
    ]

    /// Objects whose members the API spells in PascalCase too.
    static let pascalCaseMembers: Set<String> = ["DataTransferApi"]

    /// Maps with user-chosen keys: passed through as they are, values as strings.
    static let freeFormMaps: Set<String> = ["CustomProperties", "TokenUrlCustomProperties", "ProfileProperties", "CredentialsMap"]

    /// Lists of `{Key, Value}` in CloudFormation that are maps in the API.
    static let keyValueLists: Set<String> = ["TaskProperties"]

    /// API members that are booleans: CloudFormation also accepts "true"/"false" strings there.
    static let booleanMembers: Set<String> = [
        "disableSSO", "enableDynamicFieldUpdate", "failOnFirstDestinationError", "includeAllVersions",
        "includeDeletedRecords", "includeRenditions", "includeSourceFiles", "isPrivateLinkEndpointUrlRequired",
        "isRedshiftServerless", "isSandboxEnvironment", "preserveSourceDataTyping",
        "usePrivateLinkForMetadataAndAuthorization",
    ]

    /// API members that are numbers (timestamps as epoch seconds): CloudFormation also accepts numeric strings.
    static let numericMembers: Set<String> = [
        "firstExecutionFrom", "flowErrorDeactivationThreshold", "maxPageSize", "maxParallelism",
        "numParallelProcesses", "portNumber", "scheduleEndTime", "scheduleOffset", "scheduleStartTime",
        "targetFileSize",
    ]

    /// The API's name for a CloudFormation member inside the object named `parent`.
    static func apiName(_ name: String, parent: String) -> String {
        if connectorKeyed.contains(parent) || pascalCaseMembers.contains(parent) { return name }
        if let renamed = renamed[name] { return renamed }
        guard let first = name.first else { return name }
        return first.lowercased() + name.dropFirst()
    }

    /// Maps the members of one CloudFormation object (`parent` is its own CloudFormation name).
    static func object(_ value: JSONValue, parent: String, path: String) throws(ResolutionError) -> JSONValue {
        guard case .object(let members) = value else {
            throw ResolutionError(path: path, message: "expected an object, found a \(value.typeName)")
        }
        var mapped: JSONValue.Members = []
        for (name, member) in members {
            let memberPath = IntrinsicResolver.join(path, name)
            let api = apiName(name, parent: parent)
            if parent == "LookoutMetrics" {
                // The API's LookoutMetrics destination has no members; CloudFormation's `Object` has no counterpart.
                continue
            }
            mapped.append((api, try self.value(member, name: name, apiName: api, path: memberPath)))
        }
        return .object(mapped)
    }

    /// Maps the value of the CloudFormation member `name`.
    static func value(_ value: JSONValue, name: String, apiName: String, path: String) throws(ResolutionError) -> JSONValue {
        if freeFormMaps.contains(name) {
            guard case .object(let entries) = value else {
                throw ResolutionError(path: path, message: "expected a map of strings, found a \(value.typeName)")
            }
            return .object(entries.map { ($0.key, .string($0.value.compact)) })
        }
        if keyValueLists.contains(name) {
            return try keyValueMap(value, path: path)
        }
        if name == "TriggerProperties" {
            // CloudFormation puts the schedule settings directly here; the API wraps them per trigger type.
            return .object([("Scheduled", try object(value, parent: name, path: path))])
        }
        switch value {
        case .object:
            return try object(value, parent: name, path: path)
        case .array(let items):
            var mapped: [JSONValue] = []
            for (index, item) in items.enumerated() {
                let itemPath = "\(path)[\(index)]"
                if case .object = item {
                    mapped.append(try object(item, parent: name, path: itemPath))
                } else {
                    mapped.append(try scalar(item, apiName: nil, path: itemPath))
                }
            }
            return .array(mapped)
        default:
            return try scalar(value, apiName: apiName, path: path)
        }
    }

    /// Converts a scalar to the API member's type, as CloudFormation converts template strings.
    static func scalar(_ value: JSONValue, apiName: String?, path: String) throws(ResolutionError) -> JSONValue {
        if let apiName, booleanMembers.contains(apiName) {
            switch value {
            case .bool: return value
            case .string(let text) where text.lowercased() == "true": return .bool(true)
            case .string(let text) where text.lowercased() == "false": return .bool(false)
            default: throw ResolutionError(path: path, message: "expected a boolean, found '\(value.compact)'")
            }
        }
        if let apiName, numericMembers.contains(apiName) {
            switch value {
            case .number: return value
            case .string(let text):
                guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                    throw ResolutionError(path: path, message: "expected a number, found '\(text)'")
                }
                return .number(number)
            default: throw ResolutionError(path: path, message: "expected a number, found a \(value.typeName)")
            }
        }
        switch value {
        case .number, .bool: return .string(value.compact)
        default: return value
        }
    }

    /// `[{Key: k, Value: v}, …]` → `{k: v, …}`.
    static func keyValueMap(_ value: JSONValue, path: String) throws(ResolutionError) -> JSONValue {
        guard case .array(let items) = value else {
            throw ResolutionError(path: path, message: "expected a list of {Key, Value}, found a \(value.typeName)")
        }
        var entries: JSONValue.Members = []
        for (index, item) in items.enumerated() {
            guard case .object = item, let key = item["Key"], let entry = item["Value"] else {
                throw ResolutionError(path: "\(path)[\(index)]", message: "expected an object with Key and Value")
            }
            if case .object(let members) = item, let extra = members.first(where: { $0.key != "Key" && $0.key != "Value" }) {
                throw ResolutionError(path: "\(path)[\(index)]", message: "unexpected member \(extra.key) (only Key and Value)")
            }
            let keyText = key.compact
            if entries.contains(where: { $0.key == keyText }) {
                throw ResolutionError(path: "\(path)[\(index)]", message: "Key \(keyText) appears twice")
            }
            entries.append((keyText, .string(entry.compact)))
        }
        return .object(entries)
    }
}
