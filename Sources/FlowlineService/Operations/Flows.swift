import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineStore

extension AppFlowService {
    func createFlow(_ request: AppFlow.CreateFlowRequest) async throws(AppFlowError) -> AppFlow.CreateFlowResponse {
        if let token = request.clientToken,
           let earlier: AppFlow.CreateFlowResponse = try idempotentResponse(.createFlow, token) {
            return earlier
        }
        let definition = AppFlow.UpdateFlowRequest(
            flowName: request.flowName, description: request.description, triggerConfig: request.triggerConfig,
            sourceFlowConfig: request.sourceFlowConfig, destinationFlowConfigList: request.destinationFlowConfigList,
            tasks: request.tasks, metadataCatalogConfig: request.metadataCatalogConfig)
        let checked = try await FlowValidation(definition: definition, service: self).check()
        if let kmsArn = request.kmsArn {
            guard try read({ tx in try tx.customerKey(arn: kmsArn) }) != nil else {
                throw .validation("The KMS key \(kmsArn) does not exist; create one with `flowline create-key`")
            }
        }
        let created = now
        // AppFlow: on-demand flows are ready at once; scheduled and event flows wait for start-flow.
        let status: AppFlow.FlowStatus = request.triggerConfig.triggerType == .onDemand ? .active : .draft
        let record = FlowRecord(
            name: request.flowName, arn: configuration.account.flowArn(request.flowName), description: request.description,
            kmsArn: request.kmsArn, flowStatus: status.rawValue, definition: Self.document(definition),
            sourceConnectorType: checked.sourceType, destinationConnectorTypes: checked.destinationTypes,
            triggerType: request.triggerConfig.triggerType.rawValue, createdAt: created, lastUpdatedAt: created,
            createdBy: configuration.identity, lastUpdatedBy: configuration.identity, schemaVersion: 1,
            sourceProfileName: checked.sourceProfileName, destinationProfileNames: checked.destinationProfileNames)
        let response = AppFlow.CreateFlowResponse(flowArn: record.arn, flowStatus: status)
        try write { tx in
            try tx.insertFlow(record)
            if let tags = request.tags, !tags.isEmpty { try tx.setTags(tags, forResource: record.arn) }
            if let token = request.clientToken {
                try tx.insertIdempotencyRecord(IdempotencyRecord(operation: AppFlow.Operation.createFlow.rawValue,
                                                                 clientToken: token, response: Self.document(response), createdAt: created))
            }
        }
        return response
    }

    func updateFlow(_ request: AppFlow.UpdateFlowRequest) async throws(AppFlowError) -> AppFlow.UpdateFlowResponse {
        guard let existing = try read({ tx in try tx.flow(named: request.flowName) }) else {
            throw .notFound("Flow \(request.flowName) does not exist")
        }
        var definition = request
        definition.clientToken = nil
        let checked = try await FlowValidation(definition: definition, service: self).check()
        let old = try Self.definition(of: existing)
        var record = existing
        record.description = request.description
        record.definition = Self.document(definition)
        record.sourceConnectorType = checked.sourceType
        record.destinationConnectorTypes = checked.destinationTypes
        record.triggerType = request.triggerConfig.triggerType.rawValue
        record.lastUpdatedAt = now
        record.lastUpdatedBy = configuration.identity
        record.sourceProfileName = checked.sourceProfileName
        record.destinationProfileNames = checked.destinationProfileNames
        // AppFlow's schema version counts changes to mappings, types and partition keys.
        if old.tasks != request.tasks { record.schemaVersion += 1 }
        if old.triggerConfig.triggerType != request.triggerConfig.triggerType {
            record.flowStatus = (request.triggerConfig.triggerType == .onDemand ? AppFlow.FlowStatus.active : .draft).rawValue
            record.flowStatusMessage = nil
        }
        let updated = record
        try write { tx in try tx.updateFlow(updated) }
        return AppFlow.UpdateFlowResponse(flowStatus: AppFlow.FlowStatus(rawValue: record.flowStatus))
    }

    func describeFlow(_ request: AppFlow.DescribeFlowRequest) throws(AppFlowError) -> AppFlow.DescribeFlowResponse {
        let (record, tags, last) = try read { tx in
            guard let record = try tx.flow(named: request.flowName) else { throw StoreError.notFound(.flow, key: request.flowName) }
            let last = try tx.listExecutions(flowName: record.name, maxResults: 1).items.first
            return (record, try tx.tags(forResource: record.arn), last)
        }
        let definition = try Self.definition(of: record)
        return AppFlow.DescribeFlowResponse(
            flowArn: record.arn, description: record.description, flowName: record.name, kmsArn: record.kmsArn,
            flowStatus: AppFlow.FlowStatus(rawValue: record.flowStatus), flowStatusMessage: record.flowStatusMessage,
            sourceFlowConfig: definition.sourceFlowConfig, destinationFlowConfigList: definition.destinationFlowConfigList,
            lastRunExecutionDetails: last.map(Self.executionDetails), triggerConfig: definition.triggerConfig,
            tasks: definition.tasks, createdAt: record.createdAt, lastUpdatedAt: record.lastUpdatedAt,
            createdBy: record.createdBy, lastUpdatedBy: record.lastUpdatedBy, tags: tags,
            metadataCatalogConfig: definition.metadataCatalogConfig, schemaVersion: Int64(record.schemaVersion))
    }

    func listFlows(_ request: AppFlow.ListFlowsRequest) throws(AppFlowError) -> AppFlow.ListFlowsResponse {
        let flows = try read { tx in
            let page = try tx.listFlows(maxResults: request.maxResults ?? 100, nextToken: request.nextToken)
            let items = try page.items.map { record in
                (record, try tx.tags(forResource: record.arn), try tx.listExecutions(flowName: record.name, maxResults: 1).items.first)
            }
            return (items, page.nextToken)
        }
        let definitions = flows.0.map { record, tags, last in
            AppFlow.FlowDefinition(
                flowArn: record.arn, description: record.description, flowName: record.name,
                flowStatus: AppFlow.FlowStatus(rawValue: record.flowStatus),
                sourceConnectorType: AppFlow.ConnectorType(rawValue: record.sourceConnectorType),
                destinationConnectorType: record.destinationConnectorTypes.first.flatMap(AppFlow.ConnectorType.init(rawValue:)),
                triggerType: AppFlow.TriggerType(rawValue: record.triggerType), createdAt: record.createdAt,
                lastUpdatedAt: record.lastUpdatedAt, createdBy: record.createdBy, lastUpdatedBy: record.lastUpdatedBy,
                tags: tags, lastRunExecutionDetails: last.map(Self.executionDetails))
        }
        return AppFlow.ListFlowsResponse(flows: definitions, nextToken: flows.1)
    }

    func deleteFlow(_ request: AppFlow.DeleteFlowRequest) throws(AppFlowError) -> AppFlow.DeleteFlowResponse {
        try reconcileInterruptedRuns(flowName: request.flowName)
        try write { tx in
            guard try tx.flow(named: request.flowName) != nil else { throw StoreError.notFound(.flow, key: request.flowName) }
            if !(request.forceDelete ?? false), !(try tx.inProgressExecutions(flowName: request.flowName)).isEmpty {
                throw AppFlowError.conflict("Flow \(request.flowName) has a run in progress; cancel it or use --force-delete")
            }
            try tx.deleteFlow(named: request.flowName)
        }
        return AppFlow.DeleteFlowResponse()
    }

    /// The stored definition of a flow (its configuration as last created or updated).
    static func definition(of record: FlowRecord) throws(AppFlowError) -> AppFlow.UpdateFlowRequest {
        do {
            return try AppFlow.UpdateFlowRequest(json: JSONValue.parse(record.definition), at: ShapePath())
        } catch {
            throw .internalServer("The stored definition of flow \(record.name) cannot be read: \(error.message)")
        }
    }

    static func executionDetails(_ execution: ExecutionRecord) -> AppFlow.ExecutionDetails {
        AppFlow.ExecutionDetails(mostRecentExecutionMessage: execution.executionMessage,
                                 mostRecentExecutionTime: execution.lastUpdatedAt,
                                 mostRecentExecutionStatus: AppFlow.ExecutionStatus(rawValue: execution.status.rawValue))
    }
}
