import Foundation
import FlowlineAPI
import FlowlineStore

/// A batch of change events accepted for an event-triggered flow.
public struct AcceptedChangeEvents: Sendable {
    public let executionId: String
    public let changedRecords: Int
    /// Where the events were kept for the run: `$FLOWLINE_HOME/events/incoming/<flow>/<executionId>.json`.
    public let payloadFile: URL
}

extension RunManager {
    /// Takes Salesforce change events (`AccountChangeEvent`-style: each with `payload.ChangeEventHeader`)
    /// for an `Event` flow, keeps them beside the run, and queues a run of the flow.
    ///
    /// The flow must be `Active` (start-flow activates it). When its source is Salesforce, each
    /// event's `entityName` must be the flow's object. The events are written to the payload file
    /// before the run is queued, so the run (and a source that reads them) always finds them.
    public func acceptSalesforceChangeEvents(flowName: String, body: JSONValue) throws(AppFlowError) -> AcceptedChangeEvents {
        let events: [JSONValue]
        switch body {
        case .array(let items): events = items
        case .object: events = [body]
        default: throw .validation("The change event body must be a JSON object or an array of them")
        }
        guard !events.isEmpty else { throw .validation("No change events in the request") }
        var recordIds = Set<String>()
        var entities = Set<String>()
        for (i, event) in events.enumerated() {
            guard case .object(let header)? = event["payload"]?["ChangeEventHeader"] else {
                throw .validation("Change event \(i) has no payload.ChangeEventHeader")
            }
            let headerValue = JSONValue.object(header)
            guard case .string(let entity)? = headerValue["entityName"] else {
                throw .validation("Change event \(i) has no ChangeEventHeader.entityName")
            }
            entities.insert(entity)
            if case .array(let ids)? = headerValue["recordIds"] {
                for case .string(let id) in ids { recordIds.insert(id) }
            }
        }
        guard let flow = try service.read({ tx in try tx.flow(named: flowName) }) else {
            throw .notFound("Flow \(flowName) does not exist")
        }
        guard flow.triggerType == AppFlow.TriggerType.event.rawValue else {
            throw .validation("Flow \(flowName) is triggered \(flow.triggerType), not Event: it does not take change events")
        }
        guard flow.flowStatus == AppFlow.FlowStatus.active.rawValue else {
            throw .conflict("Flow \(flowName) is \(flow.flowStatus); activate it with start-flow before sending events")
        }
        if let object = try AppFlowService.definition(of: flow).sourceFlowConfig.sourceConnectorProperties.Salesforce?.object,
           let other = entities.first(where: { $0 != object }) {
            throw .validation("Change event for \(other) does not match flow \(flowName)'s object \(object)")
        }
        let prepared = try service.prepareRun(flowName: flowName)
        let file = ChangeEventFile.url(home: service.configuration.home.url, flowName: flowName, executionId: prepared.executionId)
        do {
            // Owner-only, like the rest of the home: the events carry the application's records.
            let folder = file.deletingLastPathComponent()
            for directory in [folder.deletingLastPathComponent().deletingLastPathComponent(), folder.deletingLastPathComponent(), folder] {
                try PrivateFiles.directory(directory.path)
            }
            try PrivateFiles.write(JSONValue.array(events).serialized(), to: file)
        } catch {
            cancelUnstarted(prepared.execution, reason: "the change events could not be kept")
            throw .internalServer("Keeping the change events for flow \(flowName) failed: \(error.localizedDescription)")
        }
        try submit(prepared, trigger: .event)
        return AcceptedChangeEvents(executionId: prepared.executionId, changedRecords: recordIds.count, payloadFile: file)
    }
}
