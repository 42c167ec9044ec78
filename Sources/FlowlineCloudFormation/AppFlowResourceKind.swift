import FlowlineAPI

/// What Flowline knows about the two resource types it deploys: their properties, which of them
/// force a replacement, their attributes, and how their properties become API requests.
struct AppFlowResourceKind {
    let type: String
    /// The property holding the AppFlow name, which is also the physical id and what `Ref` yields.
    let nameProperty: String
    /// Properties whose change needs a new resource (CloudFormation's "Replacement").
    let createOnly: [String]
    let readOnly: [String]
    /// `Fn::GetAtt` attributes.
    let attributes: [String]
    /// Every writable top-level property.
    let properties: [String]
    /// API members of the update request (the create request's others cannot change in place).
    let updateMembers: [String]

    static let flow = AppFlowResourceKind(
        type: TemplateResource.flowType, nameProperty: "FlowName", createOnly: ["FlowName", "KMSArn"],
        readOnly: ["FlowArn"], attributes: ["FlowArn"],
        properties: ["FlowName", "Description", "KMSArn", "TriggerConfig", "FlowStatus", "SourceFlowConfig",
                     "DestinationFlowConfigList", "Tasks", "Tags", "MetadataCatalogConfig"],
        updateMembers: ["flowName", "description", "triggerConfig", "sourceFlowConfig", "destinationFlowConfigList",
                        "tasks", "metadataCatalogConfig"])

    static let connectorProfile = AppFlowResourceKind(
        type: TemplateResource.connectorProfileType, nameProperty: "ConnectorProfileName",
        createOnly: ["ConnectorProfileName", "ConnectorType", "ConnectorLabel", "KMSArn"],
        readOnly: ["ConnectorProfileArn", "CredentialsArn"], attributes: ["ConnectorProfileArn", "CredentialsArn"],
        properties: ["ConnectorProfileName", "ConnectorType", "ConnectorLabel", "ConnectionMode", "KMSArn",
                     "ConnectorProfileConfig"],
        updateMembers: ["connectorProfileName", "connectionMode", "connectorProfileConfig"])

    static func of(_ type: String) -> AppFlowResourceKind? {
        switch type {
        case flow.type: flow
        case connectorProfile.type: connectorProfile
        default: nil
        }
    }

    var isFlow: Bool { type == Self.flow.type }

    /// The API requests for resolved CloudFormation properties. Checks the property names, maps
    /// them, and decodes and validates both requests with the API's own shapes, so a template
    /// error surfaces here, before anything is created.
    func requests(_ properties: JSONValue, logicalId: String) throws(StackError) -> AppFlowRequests {
        guard case .object(let members) = properties else {
            throw .property(logicalId, type, nil, "Properties must be an object")
        }
        for (name, _) in members {
            if readOnly.contains(name) {
                throw .property(logicalId, type, name, "is a read-only attribute; use Fn::GetAtt to read it")
            }
            if !self.properties.contains(name) {
                throw .property(logicalId, type, name, "is not a property of \(type) (expected one of \(self.properties.joined(separator: ", ")))")
            }
        }
        guard case .string(let name)? = properties[nameProperty] else {
            throw .property(logicalId, type, nameProperty, "is required and must be a string")
        }
        var create: JSONValue.Members = []
        var tags: [String: String] = [:]
        var flowStatus: String?
        do throws(ResolutionError) {
            for (member, value) in members {
                switch member {
                case "Tags":
                    guard case .object(let entries) = try PropertyMapping.keyValueMap(value, path: member) else { continue }
                    for (key, tag) in entries { tags[key] = tag.compact }
                case "FlowStatus":
                    guard case .string(let status) = value, ["Active", "Suspended", "Draft"].contains(status) else {
                        throw ResolutionError(path: member, message: "must be one of Active, Suspended, Draft")
                    }
                    flowStatus = status
                default:
                    let api = PropertyMapping.apiName(member, parent: "")
                    create.append((api, try PropertyMapping.value(value, name: member, apiName: api, path: member)))
                }
            }
        } catch {
            throw .property(logicalId, type, error.path, error.message)
        }
        if !tags.isEmpty { create.append(("tags", .object(tags.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))) }
        let update = JSONValue.object(create.filter { updateMembers.contains($0.key) })
        let requests = AppFlowRequests(name: name, create: .object(create), update: update, tags: tags, flowStatus: flowStatus)
        try requests.check(kind: self, logicalId: logicalId)
        return requests
    }
}

/// The API requests for one resource, as its resolved properties say.
struct AppFlowRequests: Equatable {
    var name: String
    var create: JSONValue
    var update: JSONValue
    var tags: [String: String]
    /// CloudFormation's `FlowStatus`: applied with start-flow / stop-flow after the create or update.
    var flowStatus: String?

    var triggerType: String? {
        if case .string(let type)? = create["triggerConfig"]?["triggerType"] { return type }
        return nil
    }

    /// Decodes both requests with the generated shapes and checks every model constraint.
    func check(kind: AppFlowResourceKind, logicalId: String) throws(StackError) {
        do {
            if kind.isFlow {
                try AppFlow.CreateFlowRequest(json: create, at: ShapePath()).validate()
                try AppFlow.UpdateFlowRequest(json: update, at: ShapePath()).validate()
            } else {
                try AppFlow.CreateConnectorProfileRequest(json: create, at: ShapePath()).validate()
                try AppFlow.UpdateConnectorProfileRequest(json: update, at: ShapePath()).validate()
            }
        } catch {
            throw .property(logicalId, kind.type, nil, "\(error.code.rawValue): \(error.message)")
        }
    }
}
