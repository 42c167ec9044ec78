import FlowlineAPI
import FlowlineConnectors
import FlowlineCore

extension AppFlowService {
    func describeConnectors(_ request: AppFlow.DescribeConnectorsRequest) throws(AppFlowError) -> AppFlow.DescribeConnectorsResponse {
        let wanted = request.connectorTypes.map { Set($0.map(\.rawValue)) }
        var configurations: [String: AppFlow.ConnectorConfiguration] = [:]
        for caps in ConnectorCatalog.all where wanted?.contains(caps.connectorType) ?? true {
            configurations[caps.connectorType] = Self.configuration(caps)
        }
        return AppFlow.DescribeConnectorsResponse(connectorConfigurations: configurations,
                                                  connectors: ConnectorCatalog.all.filter { wanted?.contains($0.connectorType) ?? true }.map(Self.detail))
    }

    func listConnectors(_ request: AppFlow.ListConnectorsRequest) throws(AppFlowError) -> AppFlow.ListConnectorsResponse {
        AppFlow.ListConnectorsResponse(connectors: ConnectorCatalog.all.map(Self.detail))
    }

    func describeConnector(_ request: AppFlow.DescribeConnectorRequest) throws(AppFlowError) -> AppFlow.DescribeConnectorResponse {
        guard let caps = ConnectorCatalog.capabilities(of: request.connectorType.rawValue) else {
            throw .notFound("Connector type \(request.connectorType.rawValue) is not supported by Flowline")
        }
        return AppFlow.DescribeConnectorResponse(connectorConfiguration: Self.configuration(caps))
    }

    /// S3's entities are its buckets, and under a bucket (`entitiesPath`) its top-level folders.
    func listConnectorEntities(_ request: AppFlow.ListConnectorEntitiesRequest) async throws(AppFlowError) -> AppFlow.ListConnectorEntitiesResponse {
        let type = try entityConnectorType(request.connectorType, profileName: request.connectorProfileName)
        if type != "S3", let profile = request.connectorProfileName {
            return try await listSaaSEntities(profileName: profile)
        }
        guard type == "S3" else {
            throw .validation("Listing entities of \(type) needs its connector implementation, which this build does not have yet")
        }
        let names = S3Entities.list(root: configuration.s3Root, path: request.entitiesPath)
        let entities = names.map { AppFlow.ConnectorEntity(name: $0.name, label: $0.name, hasNestedEntities: $0.nested) }
        return AppFlow.ListConnectorEntitiesResponse(connectorEntityMap: ["Objects": entities])
    }

    /// The fields of an entity; for S3, `bucket/prefix` names the objects whose header gives them.
    func describeConnectorEntity(_ request: AppFlow.DescribeConnectorEntityRequest) async throws(AppFlowError) -> AppFlow.DescribeConnectorEntityResponse {
        let type = try entityConnectorType(request.connectorType, profileName: request.connectorProfileName)
        if type != "S3", let profile = request.connectorProfileName {
            return try await describeSaaSEntity(request.connectorEntityName, profileName: profile)
        }
        guard type == "S3" else {
            throw .validation("Describing entities of \(type) needs its connector implementation, which this build does not have yet")
        }
        let name = request.connectorEntityName
        let slash = name.firstIndex(of: "/")
        let bucket = slash.map { String(name[..<$0]) } ?? name
        let prefix = slash.map { String(name[name.index(after: $0)...]) } ?? ""
        let source = S3Source(root: configuration.s3Root, bucket: bucket, prefix: prefix, fileType: .csv)
        let schema: Schema
        do {
            schema = try await source.schema()
        } catch {
            throw .notFound("Entity \(name): \(error)")
        }
        let fields = schema.fields.map { field in
            AppFlow.ConnectorEntityField(
                identifier: field.name, label: field.name,
                supportedFieldTypeDetails: AppFlow.SupportedFieldTypeDetails(
                    v1: AppFlow.FieldTypeDetails(fieldType: field.type.rawValue, filterOperators: Self.filterOperators(field.type))))
        }
        return AppFlow.DescribeConnectorEntityResponse(connectorEntityFields: fields)
    }

    private func entityConnectorType(_ type: AppFlow.ConnectorType?, profileName: String?) throws(AppFlowError) -> String {
        if let type { return type.rawValue }
        guard let profileName else { throw .validation("Give connectorType or connectorProfileName") }
        guard let profile = try read({ tx in try tx.profile(named: profileName) }) else {
            throw .notFound("Connector profile \(profileName) does not exist")
        }
        return profile.connectorType
    }

    static func filterOperators(_ type: FieldType) -> [AppFlow.Operator] {
        switch type {
        case .string: return [.projection, .equalTo, .notEqualTo, .contains]
        case .bool: return [.projection, .equalTo, .notEqualTo]
        case .int, .double, .decimal, .date, .timestamp:
            return [.projection, .lessThan, .greaterThan, .between, .lessThanOrEqualTo, .greaterThanOrEqualTo, .equalTo, .notEqualTo]
        }
    }

    static func configuration(_ caps: ConnectorCapabilities) -> AppFlow.ConnectorConfiguration {
        AppFlow.ConnectorConfiguration(
            canUseAsSource: caps.canUseAsSource, canUseAsDestination: caps.canUseAsDestination,
            supportedDestinationConnectors: caps.canUseAsSource
                ? ConnectorCatalog.all.filter(\.canUseAsDestination).compactMap { AppFlow.ConnectorType(rawValue: $0.connectorType) } : [],
            supportedSchedulingFrequencies: caps.supportedSchedulingFrequencies.compactMap(AppFlow.ScheduleFrequencyType.init(rawValue:)),
            isPrivateLinkEnabled: false, isPrivateLinkEndpointUrlRequired: false,
            supportedTriggerTypes: caps.supportedTriggerTypes.compactMap(AppFlow.TriggerType.init(rawValue:)),
            connectorType: AppFlow.ConnectorType(rawValue: caps.connectorType), connectorLabel: nil,
            connectorDescription: caps.label + (caps.runnable ? "" : " (profiles and flows can be created; runs need a later Flowline release)"),
            connectorOwner: "Flowline", connectorName: caps.label,
            supportedWriteOperations: caps.supportedWriteOperations.compactMap(AppFlow.WriteOperationType.init(rawValue:)),
            connectorProvisioningType: nil)
    }

    static func detail(_ caps: ConnectorCapabilities) -> AppFlow.ConnectorDetail {
        AppFlow.ConnectorDetail(connectorDescription: caps.label, connectorName: caps.label, connectorOwner: "Flowline",
                                connectorType: AppFlow.ConnectorType(rawValue: caps.connectorType),
                                connectorModes: caps.canUseAsSource && caps.canUseAsDestination ? ["SOURCE", "DESTINATION"]
                                    : caps.canUseAsSource ? ["SOURCE"] : ["DESTINATION"])
    }
}
