import Crypto
import Foundation

/// A CloudFormation stack deployed by `flowline deploy`.
public struct StackRecord: Sendable, Equatable {
    public var name: String
    public var stackId: String
    public var status: String
    /// SHA-256 (hex) of the template text last deployed.
    public var templateHash: String
    /// The parameter values last used, as a JSON object.
    public var parameters: Data
    public var createdAt: Date
    public var lastUpdatedAt: Date

    public init(name: String, stackId: String, status: String, templateHash: String, parameters: Data,
                createdAt: Date, lastUpdatedAt: Date) {
        self.name = name
        self.stackId = stackId
        self.status = status
        self.templateHash = templateHash
        self.parameters = parameters
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
    }

    /// SHA-256 of a template's text, in hex.
    public static func hash(of templateText: String) -> String {
        SHA256.hash(data: Data(templateText.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// One resource a stack created: its logical id in the template, and the properties last applied.
public struct StackResourceRecord: Sendable, Equatable {
    public var stackName: String
    public var logicalId: String
    public var resourceType: String
    /// The AppFlow name of the flow or connector profile.
    public var physicalId: String
    public var status: String
    /// The resolved CloudFormation properties last applied, with the secret part left out.
    public var properties: Data
    /// The secret part of those properties (a profile's credentials) in plain text; sealed at rest.
    public var secrets: Data?
    /// Creation order within the stack.
    public var position: Int
    public var lastUpdatedAt: Date

    public init(stackName: String, logicalId: String, resourceType: String, physicalId: String, status: String,
                properties: Data, secrets: Data? = nil, position: Int, lastUpdatedAt: Date) {
        self.stackName = stackName
        self.logicalId = logicalId
        self.resourceType = resourceType
        self.physicalId = physicalId
        self.status = status
        self.properties = properties
        self.secrets = secrets
        self.position = position
        self.lastUpdatedAt = lastUpdatedAt
    }

    /// Binds the sealed secrets to their stack and resource, so a blob copied elsewhere does not open.
    var sealingContext: Data { Data("cfn-stack/\(stackName)/\(logicalId)".utf8) }
}

private let stackColumns = "name, stack_id, status, template_hash, parameters, created_at, last_updated_at"
private let resourceColumns = """
    stack_name, logical_id, resource_type, physical_id, status, properties, sealed_secrets, position, last_updated_at
    """

extension ReadTransaction {
    public func stack(named name: String) throws -> StackRecord? {
        try query("SELECT \(stackColumns) FROM cfn_stacks WHERE name = ?", [.text(name)]).first.map { row in
            StackRecord(name: try row.text("name"), stackId: try row.text("stack_id"), status: try row.text("status"),
                        templateHash: try row.text("template_hash"), parameters: try row.data("parameters"),
                        createdAt: try row.date("created_at"), lastUpdatedAt: try row.date("last_updated_at"))
        }
    }

    /// The stack's resources in creation order, secrets opened.
    public func stackResources(stackName: String) throws -> [StackResourceRecord] {
        let rows = try query("SELECT \(resourceColumns) FROM cfn_stack_resources WHERE stack_name = ? ORDER BY position, logical_id",
                             [.text(stackName)])
        let sealer = try sealer()
        return try rows.map { row in
            var record = StackResourceRecord(
                stackName: try row.text("stack_name"), logicalId: try row.text("logical_id"),
                resourceType: try row.text("resource_type"), physicalId: try row.text("physical_id"),
                status: try row.text("status"), properties: try row.data("properties"),
                position: Int(try row.int64("position")), lastUpdatedAt: try row.date("last_updated_at"))
            if case .blob(let sealed) = try row.value("sealed_secrets") {
                record.secrets = try sealer.open(sealed, associatedData: record.sealingContext)
            }
            return record
        }
    }

    /// The stack that holds a flow or connector profile of this name, if any (one stack owns a name).
    public func stackOwning(resourceType: String, physicalId: String) throws -> (stack: String, logicalId: String)? {
        try query("""
            SELECT stack_name, logical_id FROM cfn_stack_resources WHERE resource_type = ? AND physical_id = ?
            """, [.text(resourceType), .text(physicalId)]).first.map { (try $0.text("stack_name"), try $0.text("logical_id")) }
    }
}

extension WriteTransaction {
    /// Creates the stack or replaces its status, template hash, parameters and update time.
    public func putStack(_ stack: StackRecord) throws {
        try run("""
            INSERT INTO cfn_stacks (\(stackColumns)) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET status = excluded.status, template_hash = excluded.template_hash,
                parameters = excluded.parameters, last_updated_at = excluded.last_updated_at
            """, [.text(stack.name), .text(stack.stackId), .text(stack.status), .text(stack.templateHash),
                  .blob(stack.parameters), .timestamp(stack.createdAt), .timestamp(stack.lastUpdatedAt)])
    }

    /// Deletes the stack and its resource rows (not the flows and profiles themselves).
    public func deleteStack(named name: String) throws {
        try run("DELETE FROM cfn_stacks WHERE name = ?", [.text(name)])
    }

    /// Records (or replaces) one resource of a stack, sealing its secrets under the master key.
    public func putStackResource(_ resource: StackResourceRecord) throws {
        let sealed: SQLiteValue = try resource.secrets.map { secrets in
            .blob(try sealer().seal(plaintext: secrets, keyId: nil, associatedData: resource.sealingContext))
        } ?? .null
        try run("""
            INSERT INTO cfn_stack_resources (\(resourceColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (stack_name, logical_id) DO UPDATE SET resource_type = excluded.resource_type,
                physical_id = excluded.physical_id, status = excluded.status, properties = excluded.properties,
                sealed_secrets = excluded.sealed_secrets, position = excluded.position,
                last_updated_at = excluded.last_updated_at
            """, [.text(resource.stackName), .text(resource.logicalId), .text(resource.resourceType),
                  .text(resource.physicalId), .text(resource.status), .blob(resource.properties), sealed,
                  .integer(Int64(resource.position)), .timestamp(resource.lastUpdatedAt)])
    }

    public func deleteStackResource(stackName: String, logicalId: String) throws {
        try run("DELETE FROM cfn_stack_resources WHERE stack_name = ? AND logical_id = ?",
                [.text(stackName), .text(logicalId)])
    }
}
