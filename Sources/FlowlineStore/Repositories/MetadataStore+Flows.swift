import Foundation

/// A stored flow: its searchable attributes plus the full API-shaped definition document.
public struct FlowRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var description: String?
    public var kmsArn: String?
    public var flowStatus: String
    /// Why the flow has its status, when Flowline set it (a deactivation after repeated failures).
    public var flowStatusMessage: String?
    /// The full flow definition JSON, as the service layer shapes it.
    public var definition: Data
    public var sourceConnectorType: String
    public var destinationConnectorTypes: [String]
    public var triggerType: String
    public var createdAt: Date
    public var lastUpdatedAt: Date
    public var createdBy: String
    public var lastUpdatedBy: String
    public var schemaVersion: Int
    /// The source's connector profile, if it has one (kept in the link table).
    public var sourceProfileName: String?
    /// The destinations' connector profiles (kept in the link table), without duplicates.
    public var destinationProfileNames: [String]

    public init(name: String, arn: String, description: String? = nil, kmsArn: String? = nil,
                flowStatus: String, definition: Data, sourceConnectorType: String,
                destinationConnectorTypes: [String], triggerType: String, createdAt: Date,
                lastUpdatedAt: Date, createdBy: String, lastUpdatedBy: String, schemaVersion: Int,
                sourceProfileName: String? = nil, destinationProfileNames: [String] = [],
                flowStatusMessage: String? = nil) {
        self.name = name
        self.arn = arn
        self.description = description
        self.kmsArn = kmsArn
        self.flowStatus = flowStatus
        self.flowStatusMessage = flowStatusMessage
        self.definition = definition
        self.sourceConnectorType = sourceConnectorType
        self.destinationConnectorTypes = destinationConnectorTypes
        self.triggerType = triggerType
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
        self.createdBy = createdBy
        self.lastUpdatedBy = lastUpdatedBy
        self.schemaVersion = schemaVersion
        self.sourceProfileName = sourceProfileName
        self.destinationProfileNames = destinationProfileNames
    }
}

private let flowColumns = """
    name, arn, description, kms_arn, flow_status, definition, source_connector_type,
    destination_connector_types, trigger_type, created_at, last_updated_at, created_by,
    last_updated_by, schema_version, flow_status_message
    """

extension ReadTransaction {
    public func flow(named name: String) throws -> FlowRecord? {
        try query("SELECT \(flowColumns) FROM flows WHERE name = ?", [.text(name)]).first.map(flowRecord(row:))
    }

    /// Flows in name order.
    public func listFlows(maxResults: Int, nextToken: String? = nil) throws -> Page<FlowRecord> {
        let after = try PageToken.key(from: nextToken, listing: "flows", count: 1)?.first
        let limit = PageToken.limit(maxResults)
        let rows = try query("""
            SELECT \(flowColumns) FROM flows WHERE (?1 IS NULL OR name > ?1) ORDER BY name LIMIT ?2
            """, [.text(after), .integer(Int64(limit + 1))])
        return PageToken.page(try rows.map(flowRecord(row:)), limit: limit, listing: "flows") { [$0.name] }
    }

    /// Names of the flows whose source or a destination uses the connector profile, in name order.
    public func flowsUsing(profileName: String) throws -> [String] {
        try query("SELECT DISTINCT flow_name FROM flow_profile_links WHERE profile_name = ? ORDER BY flow_name",
                  [.text(profileName)]).map { try $0.text("flow_name") }
    }

    private func flowRecord(row: Row) throws -> FlowRecord {
        let name = try row.text("name")
        let typesJSON = try row.data("destination_connector_types")
        guard let destinationTypes = try? JSONDecoder().decode([String].self, from: typesJSON) else {
            throw StoreError.corruptRecord(detail: "flow \(name) has unreadable destination connector types")
        }
        let links = try query("SELECT profile_name, role FROM flow_profile_links WHERE flow_name = ? ORDER BY position",
                              [.text(name)])
        var source: String?
        var destinations: [String] = []
        for link in links {
            if try link.text("role") == "source" {
                source = try link.text("profile_name")
            } else {
                destinations.append(try link.text("profile_name"))
            }
        }
        return FlowRecord(
            name: name, arn: try row.text("arn"), description: try row.optionalText("description"),
            kmsArn: try row.optionalText("kms_arn"), flowStatus: try row.text("flow_status"),
            definition: try row.data("definition"), sourceConnectorType: try row.text("source_connector_type"),
            destinationConnectorTypes: destinationTypes, triggerType: try row.text("trigger_type"),
            createdAt: try row.date("created_at"), lastUpdatedAt: try row.date("last_updated_at"),
            createdBy: try row.text("created_by"), lastUpdatedBy: try row.text("last_updated_by"),
            schemaVersion: Int(try row.int64("schema_version")),
            sourceProfileName: source, destinationProfileNames: destinations,
            flowStatusMessage: try row.optionalText("flow_status_message"))
    }
}

extension WriteTransaction {
    /// Inserts a flow and its profile links. Throws `.duplicate` for a taken name or ARN and
    /// `.notFound(.connectorProfile, …)` when a named profile does not exist.
    public func insertFlow(_ flow: FlowRecord) throws {
        try insert("INSERT INTO flows (\(flowColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   flowParameters(flow), kind: .flow, key: flow.name)
        try link(flow)
    }

    /// Replaces a flow's mutable fields and profile links (name, ARN, createdAt and createdBy stay).
    public func updateFlow(_ flow: FlowRecord) throws {
        try change("""
            UPDATE flows SET description = ?, kms_arn = ?, flow_status = ?, flow_status_message = ?, definition = ?,
                source_connector_type = ?, destination_connector_types = ?, trigger_type = ?,
                last_updated_at = ?, last_updated_by = ?, schema_version = ?
            WHERE name = ?
            """, [.text(flow.description), .text(flow.kmsArn), .text(flow.flowStatus), .text(flow.flowStatusMessage),
                  .blob(flow.definition),
                  .text(flow.sourceConnectorType), .text(try typesJSON(flow.destinationConnectorTypes)),
                  .text(flow.triggerType), .timestamp(flow.lastUpdatedAt), .text(flow.lastUpdatedBy),
                  .integer(Int64(flow.schemaVersion)), .text(flow.name)],
            kind: .flow, key: flow.name)
        try run("DELETE FROM flow_profile_links WHERE flow_name = ?", [.text(flow.name)])
        try link(flow)
    }

    /// Sets a flow's status (Active, Suspended, Draft, Errored, …) and why (nil clears an earlier reason).
    public func setFlowStatus(named name: String, status: String, lastUpdatedAt: Date, message: String? = nil) throws {
        try change("UPDATE flows SET flow_status = ?, flow_status_message = ?, last_updated_at = ? WHERE name = ?",
                   [.text(status), .text(message), .timestamp(lastUpdatedAt), .text(name)], kind: .flow, key: name)
    }

    /// Deletes a flow with its profile links, executions, watermark and tags.
    public func deleteFlow(named name: String) throws {
        try change("DELETE FROM flows WHERE name = ?", [.text(name)], kind: .flow, key: name)
    }

    private func link(_ flow: FlowRecord) throws {
        var links: [(profile: String, role: String)] = []
        if let source = flow.sourceProfileName { links.append((source, "source")) }
        var seen = Set<String>()
        for destination in flow.destinationProfileNames where seen.insert(destination).inserted {
            links.append((destination, "destination"))
        }
        for (position, link) in links.enumerated() {
            guard try profile(named: link.profile) != nil else {
                throw StoreError.notFound(.connectorProfile, key: link.profile)
            }
            try run("INSERT INTO flow_profile_links (flow_name, profile_name, role, position) VALUES (?, ?, ?, ?)",
                    [.text(flow.name), .text(link.profile), .text(link.role), .integer(Int64(position))])
        }
    }

    private func flowParameters(_ flow: FlowRecord) throws -> [SQLiteValue] {
        [.text(flow.name), .text(flow.arn), .text(flow.description), .text(flow.kmsArn), .text(flow.flowStatus),
         .blob(flow.definition), .text(flow.sourceConnectorType), .text(try typesJSON(flow.destinationConnectorTypes)),
         .text(flow.triggerType), .timestamp(flow.createdAt), .timestamp(flow.lastUpdatedAt),
         .text(flow.createdBy), .text(flow.lastUpdatedBy), .integer(Int64(flow.schemaVersion)),
         .text(flow.flowStatusMessage)]
    }

    private func typesJSON(_ types: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(types), as: UTF8.self)
    }
}
