import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineStore

/// The checks `create-flow` and `update-flow` make before anything is stored: connectors exist
/// and fit their roles, profiles exist and match, the trigger fits the source, and the tasks
/// compile (against the source's fields when they can be known now).
struct FlowValidation {
    let definition: AppFlow.UpdateFlowRequest
    let service: AppFlowService

    struct Result {
        var sourceProfileName: String?
        var destinationProfileNames: [String]
        var sourceType: String
        var destinationTypes: [String]
    }

    func check() async throws(AppFlowError) -> Result {
        let source = definition.sourceFlowConfig
        let sourceCaps = try capabilities(source.connectorType.rawValue, role: "source")
        guard sourceCaps.canUseAsSource else {
            throw .validation("Connector type \(source.connectorType.rawValue) cannot be used as a flow source")
        }
        try requireProperties(source.sourceConnectorProperties.json(.epochSeconds), key: sourceCaps.propertiesKey,
                              member: "sourceFlowConfig.sourceConnectorProperties", connectorType: source.connectorType.rawValue)
        let sourceProfile = try profile(source.connectorProfileName, capabilities: sourceCaps, member: "sourceFlowConfig")
        try requireSourceBucket()

        guard !definition.destinationFlowConfigList.isEmpty else {
            throw .validation("destinationFlowConfigList must name at least one destination")
        }
        var destinationProfiles: [String] = []
        for (i, destination) in definition.destinationFlowConfigList.enumerated() {
            let caps = try capabilities(destination.connectorType.rawValue, role: "destination")
            guard caps.canUseAsDestination else {
                throw .validation("Connector type \(destination.connectorType.rawValue) cannot be used as a flow destination")
            }
            let member = "destinationFlowConfigList.\(i + 1)"
            try requireProperties(destination.destinationConnectorProperties.json(.epochSeconds), key: caps.propertiesKey,
                                  member: member + ".destinationConnectorProperties", connectorType: destination.connectorType.rawValue)
            if let name = try profile(destination.connectorProfileName, capabilities: caps, member: member),
               !destinationProfiles.contains(name) {
                destinationProfiles.append(name)
            }
        }

        try checkTrigger(sourceCaps)
        try await checkTasks()
        return Result(sourceProfileName: sourceProfile, destinationProfileNames: destinationProfiles,
                      sourceType: source.connectorType.rawValue,
                      destinationTypes: definition.destinationFlowConfigList.map(\.connectorType.rawValue))
    }

    private func capabilities(_ type: String, role: String) throws(AppFlowError) -> ConnectorCapabilities {
        guard let caps = ConnectorCatalog.capabilities(of: type) else {
            throw .validation("Connector type \(type) is not supported by Flowline as a \(role); see `flowline describe-connectors`")
        }
        return caps
    }

    private func requireProperties(_ json: JSONValue, key: String, member: String, connectorType: String) throws(AppFlowError) {
        guard case .object(let members) = json else { return }
        guard members.count == 1, members[0].key == key else {
            throw .validation("\(member) must hold exactly the \(key) settings for connector type \(connectorType)")
        }
    }

    /// The profile a flow names, checked to exist and to be of the connector's type.
    private func profile(_ name: String?, capabilities caps: ConnectorCapabilities, member: String) throws(AppFlowError) -> String? {
        guard let name else {
            if caps.needsProfile {
                throw .validation("\(member).connectorProfileName is required for connector type \(caps.connectorType)")
            }
            return nil
        }
        guard caps.needsProfile else {
            throw .validation("\(member).connectorProfileName: connector type \(caps.connectorType) does not use connector profiles")
        }
        let record = try service.read { tx in try tx.profile(named: name) }
        guard let record else { throw .notFound("Connector profile \(name) does not exist") }
        guard record.connectorType == caps.connectorType else {
            throw .validation("Connector profile \(name) is for \(record.connectorType), but \(member) uses \(caps.connectorType)")
        }
        return name
    }

    /// An S3 source's bucket must exist, as in AppFlow. A missing destination bucket is not an
    /// error: the first run that writes to it creates it in the local S3 root.
    private func requireSourceBucket() throws(AppFlowError) {
        guard let s3 = definition.sourceFlowConfig.sourceConnectorProperties.S3 else { return }
        let member = "sourceFlowConfig.sourceConnectorProperties.S3.bucketName"
        let path: String
        do {
            path = try service.configuration.s3Root.bucketPath(s3.bucketName)
        } catch {
            throw .validation("\(member): \(error)")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .validation("The source bucket \(s3.bucketName) does not exist: there is no folder \(s3.bucketName) in the local S3 root ($FLOWLINE_S3_ROOT)")
        }
    }

    private func checkTrigger(_ sourceCaps: ConnectorCapabilities) throws(AppFlowError) {
        let trigger = definition.triggerConfig
        let type = trigger.triggerType.rawValue
        guard sourceCaps.supportedTriggerTypes.contains(type) else {
            throw .validation("Trigger type \(type) is not supported for source \(sourceCaps.connectorType); supported: \(sourceCaps.supportedTriggerTypes.joined(separator: ", "))")
        }
        guard trigger.triggerType == .scheduled else { return }
        guard let scheduled = trigger.triggerProperties?.Scheduled else {
            throw .validation("triggerConfig.triggerProperties.Scheduled is required for a Scheduled trigger")
        }
        do {
            _ = try ScheduleExpression(scheduled.scheduleExpression)
        } catch {
            throw .validation("triggerConfig.triggerProperties.Scheduled.scheduleExpression: \(error)")
        }
        if let start = scheduled.scheduleStartTime, let end = scheduled.scheduleEndTime, end <= start {
            throw .validation("scheduleEndTime must be after scheduleStartTime")
        }
        if scheduled.dataPullMode == .incremental {
            guard sourceCaps.supportsIncrementalPull else {
                throw .validation("Source \(sourceCaps.connectorType) does not support incremental pulls")
            }
            guard let field = definition.sourceFlowConfig.incrementalPullConfig?.datetimeTypeFieldName, !field.isEmpty else {
                throw .validation("sourceFlowConfig.incrementalPullConfig.datetimeTypeFieldName is required for an Incremental schedule")
            }
        }
    }

    /// Tasks are checked for shape always, and against the source's fields when the source can
    /// tell them now (an S3 bucket that already holds data).
    private func checkTasks() async throws(AppFlowError) {
        let specs = definition.tasks.map(FlowTasks.spec)
        do {
            try TaskPlan.check(specs)
        } catch {
            throw .validation("\(error)")
        }
        try await checkAgainstConnectorMetadata(specs)
        guard let schema = await service.knownSourceSchema(definition.sourceFlowConfig) else { return }
        do {
            _ = try TaskPlan.compile(specs, sourceSchema: schema)
        } catch {
            throw .validation("\(error)")
        }
        if let field = definition.sourceFlowConfig.incrementalPullConfig?.datetimeTypeFieldName,
           definition.triggerConfig.triggerProperties?.Scheduled?.dataPullMode == .incremental,
           schema.index(of: field) == nil {
            throw .validation("incrementalPullConfig.datetimeTypeFieldName '\(field)' is not a field of the source")
        }
    }
}

extension FlowValidation {
    /// For SaaS sources: tasks checked against the fields the application describes (as
    /// `describe-connector-entity` shows them): source fields must exist, filter operators must be
    /// ones the field supports, and an incremental pull's field must hold a date-time. Skipped when
    /// the application cannot be asked now; the run then reports what is wrong.
    func checkAgainstConnectorMetadata(_ specs: [TaskSpec]) async throws(AppFlowError) {
        let source = definition.sourceFlowConfig
        guard let (entity, fields) = try await service.describedSourceFields(source) else { return }
        do {
            _ = try TaskPlan.compile(specs, sourceSchema: Schema(fields.map { Field(name: $0.name, type: $0.type) }))
        } catch {
            throw .validation("\(error)")
        }
        var byName: [String: SaaSField] = [:]
        for f in fields where byName[f.name] == nil { byName[f.name] = f }
        for (n, spec) in specs.enumerated() where spec.taskType == AppFlow.TaskType.filter.rawValue {
            guard let op = spec.connectorOperator, op != "PROJECTION", op != "NO_OP" else { continue }
            for name in spec.sourceFields {
                guard let field = byName[name], !field.filterOperators.contains(op) else { continue }
                let supported = field.filterOperators.filter { $0 != "PROJECTION" && $0 != "NO_OP" }
                throw .validation("Task \(n + 1) (Filter): field '\(name)' of \(entity) does not support the \(op) operator"
                    + (supported.isEmpty ? "; it cannot be filtered on" : "; it supports \(supported.joined(separator: ", "))"))
            }
        }
        if definition.triggerConfig.triggerProperties?.Scheduled?.dataPullMode == .incremental,
           let name = source.incrementalPullConfig?.datetimeTypeFieldName {
            guard let field = byName[name] else {
                throw .validation("incrementalPullConfig.datetimeTypeFieldName '\(name)' is not a field of \(entity)")
            }
            guard field.type == .timestamp || field.type == .date else {
                throw .validation("incrementalPullConfig.datetimeTypeFieldName '\(name)' of \(entity) is a \(field.nativeType) field, not a date-time")
            }
        }
    }
}

/// Conversion of API tasks into the engine's connector-neutral form.
enum FlowTasks {
    static func spec(_ task: AppFlow.Task) -> TaskSpec {
        var op: String?
        if case .object(let members)? = task.connectorOperator?.json(.epochSeconds), case .string(let value)? = members.first?.value {
            op = value
            // Google Analytics' operators have no NO_OP: its Map, Map_all… tasks say PROJECTION.
            if members.first?.key == "GoogleAnalytics", value == "PROJECTION", task.taskType != .filter { op = "NO_OP" }
        }
        return TaskSpec(taskType: task.taskType.rawValue, sourceFields: task.sourceFields, connectorOperator: op,
                        destinationField: task.destinationField, properties: task.taskProperties ?? [:])
    }
}
