import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineStore

/// Where the change events that started a run are kept until the run's destinations commit:
/// `$FLOWLINE_HOME/events/incoming/<flow>/<executionId>.json` (a JSON array of events).
enum ChangeEventFile {
    static func url(home: URL, flowName: String, executionId: String) -> URL {
        home.appendingPathComponent("events/incoming/\(flowName)/\(executionId).json")
    }
}

/// The records carried by a batch of Salesforce change events, as the source of an event-triggered run.
///
/// Each event names its records in `ChangeEventHeader.recordIds` and carries their changed fields
/// beside the header. Every id becomes one record (`Id` plus those fields); when several events
/// name the same record, later events' fields overwrite earlier ones, so the run carries each
/// changed record once, in the order it was first named. Fields an event does not carry are null
/// (Salesforce sends only the changed fields of an update).
///
/// The schema is the source object's own when the flow's source can describe it (Salesforce),
/// so field types and task checks match a normal run; otherwise it is inferred from the events.
struct ChangeEventSource: RecordSource {
    let records: [JSONValue]
    let describedFields: Schema?

    /// Reads the kept event file; throws a ValidationException naming the file when it is unusable.
    init(file: URL, describedFields: Schema?) throws(AppFlowError) {
        let events: JSONValue
        do {
            events = try JSONValue.parse(try Data(contentsOf: file))
        } catch let error as AppFlowError {
            throw .validation("The change events kept in \(file.path) cannot be read: \(error.message)")
        } catch {
            throw .validation("The change events kept in \(file.path) cannot be read: \(error.localizedDescription)")
        }
        guard case .array(let items) = events else {
            throw .validation("The change events kept in \(file.path) are not a JSON array")
        }
        self.init(events: items, describedFields: describedFields)
    }

    init(events: [JSONValue], describedFields: Schema?) {
        self.records = Self.changedRecords(events)
        self.describedFields = describedFields
    }

    var appliesWindow: Bool { true }

    func schema() async throws -> Schema { resolvedSchema }

    func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let converter = JSONRecordConverter(schema: resolvedSchema)
        let records = self.records, size = max(1, request.batchSize)
        return AsyncThrowingStream { continuation in
            for start in stride(from: 0, to: records.count, by: size) {
                let slice = Array(records[start..<min(start + size, records.count)])
                let bytes = slice.reduce(Int64(0)) { $0 + Int64($1.serialized().count) }
                continuation.yield(SourceChunk(batch: converter.batch(slice), bytesRead: bytes))
            }
            continuation.finish()
        }
    }

    /// The described fields, followed by any field the events carry that the description lacks.
    var resolvedSchema: Schema {
        var fields = describedFields?.fields ?? []
        let known = Set(fields.map(\.name))
        for field in Self.inferredFields(records) where !known.contains(field.name) { fields.append(field) }
        return Schema(fields)
    }

    static func changedRecords(_ events: [JSONValue]) -> [JSONValue] {
        var order: [String] = []
        var fieldsById: [String: JSONValue.Members] = [:]
        for event in events {
            guard case .object(let payload)? = event["payload"] else { continue }
            let header = payload.first { $0.key == "ChangeEventHeader" }?.value
            let changed = payload.filter { $0.key != "ChangeEventHeader" && $0.key != "Id" }
            guard case .array(let ids)? = header?["recordIds"] else { continue }
            for case .string(let id) in ids {
                var fields = fieldsById[id] ?? { order.append(id); return [("Id", .string(id))] }()
                for member in changed {
                    if let i = fields.firstIndex(where: { $0.key == member.key }) {
                        fields[i].value = member.value
                    } else {
                        fields.append(member)
                    }
                }
                fieldsById[id] = fields
            }
        }
        return order.map { .object(fieldsById[$0] ?? []) }
    }

    /// Field names in order of first appearance, each typed by the JSON values it holds.
    static func inferredFields(_ records: [JSONValue]) -> [Field] {
        var names: [String] = []
        var types: [String: FieldType?] = [:]
        for case .object(let members) in records {
            for (key, value) in members {
                if types[key] == nil { names.append(key); types[key] = .some(nil) }
                let seen = types[key] ?? nil
                types[key] = .some(merge(seen, valueType(value)))
            }
        }
        return names.map { Field(name: $0, type: (types[$0] ?? nil) ?? .string) }
    }

    private static func valueType(_ value: JSONValue) -> FieldType? {
        switch value {
        case .null: return nil
        case .bool: return .bool
        case .number(let n): return n == n.rounded() && abs(n) < 9.0e15 ? .int : .double
        default: return .string
        }
    }

    private static func merge(_ a: FieldType?, _ b: FieldType?) -> FieldType? {
        guard let a else { return b }
        guard let b, a != b else { return a }
        if Set([a, b]) == [.int, .double] { return .double }
        return .string
    }
}

extension AppFlowService {
    /// The source a run reads: for a run started by change events, the records those events
    /// carried (when their file is still there); otherwise the flow's configured source.
    func makeRunSource(_ config: AppFlow.SourceFlowConfig, tasks: [AppFlow.Task] = [], flow: FlowRecord,
                       executionId: String) async throws -> any RecordSource {
        let file = ChangeEventFile.url(home: configuration.home.url, flowName: flow.name, executionId: executionId)
        guard flow.triggerType == AppFlow.TriggerType.event.rawValue,
              FileManager.default.fileExists(atPath: file.path) else {
            return try makeSource(config, tasks: tasks)
        }
        // Salesforce describes its object's fields; other sources' fields come from the events.
        let described = config.connectorType == .salesforce ? try await makeSource(config).schema() : nil
        return try ChangeEventSource(file: file, describedFields: described)
    }

    /// Removes the kept change events of a run whose destinations committed.
    func discardChangeEvents(flowName: String, executionId: String) {
        let file = ChangeEventFile.url(home: configuration.home.url, flowName: flowName, executionId: executionId)
        try? FileManager.default.removeItem(at: file)
    }
}
