import FlowlineCore

/// An object a SaaS connector can read (a Salesforce sObject, a ServiceNow table, a Slack channel).
public struct SaaSEntity: Sendable, Hashable {
    public var name: String
    public var label: String
    public init(name: String, label: String) {
        self.name = name
        self.label = label
    }
}

/// A field of an entity as the service describes it, with the filters Flowline can push down on it.
public struct SaaSField: Sendable, Hashable {
    public var name: String
    public var label: String
    /// The service's own type name (`datetime`, `picklist`, `glide_date_time`).
    public var nativeType: String
    public var type: FieldType
    /// AppFlow operator names this field accepts in Filter tasks.
    public var filterOperators: [String]

    public init(name: String, label: String, nativeType: String, type: FieldType, filterOperators: [String]? = nil) {
        self.name = name
        self.label = label
        self.nativeType = nativeType
        self.type = type
        self.filterOperators = filterOperators ?? Self.operators(for: type)
    }

    public static func operators(for type: FieldType) -> [String] {
        switch type {
        case .string: return ["PROJECTION", "EQUAL_TO", "NOT_EQUAL_TO", "CONTAINS", "NO_OP"]
        case .bool: return ["PROJECTION", "EQUAL_TO", "NOT_EQUAL_TO", "NO_OP"]
        case .int, .double, .decimal, .date, .timestamp:
            return ["PROJECTION", "LESS_THAN", "GREATER_THAN", "BETWEEN", "LESS_THAN_OR_EQUAL_TO",
                    "GREATER_THAN_OR_EQUAL_TO", "EQUAL_TO", "NOT_EQUAL_TO", "NO_OP"]
        }
    }
}

/// What every SaaS connector offers besides reading: its entities and their fields, for
/// `list-connector-entities`, `describe-connector-entity` and create-flow checks.
public protocol SaaSCatalog: Sendable {
    func entities() async throws(ConnectorError) -> [SaaSEntity]
    func fields(of entity: String) async throws(ConnectorError) -> [SaaSField]
    /// One cheap authenticated request that proves the URL and the credentials work (a profile's
    /// connection check); throws what failed.
    func checkConnection() async throws(ConnectorError)
}

extension SaaSCatalog {
    /// Listing the entities asks the application with the profile's credentials; connectors whose
    /// list is expensive or made without a request give a cheaper call of their own.
    public func checkConnection() async throws(ConnectorError) {
        _ = try await entities()
    }
}

extension Schema {
    init(saasFields: [SaaSField]) {
        self.init(saasFields.map { Field(name: $0.name, type: $0.type) })
    }
}

/// The fields to read: the projection's (in its order, refusing unknown names) or all of them.
func projectedFields(_ all: [SaaSField], projection: [String]?, service: String, entity: String) throws(ConnectorError) -> [SaaSField] {
    guard let projection, !projection.isEmpty else { return all }
    var byName: [String: SaaSField] = [:]
    for f in all { byName[f.name] = f }
    var out: [SaaSField] = []
    for name in projection {
        guard let f = byName[name] else {
            throw .configuration(service: service, detail: "field '\(name)' is not a field of \(entity)")
        }
        out.append(f)
    }
    return out
}
