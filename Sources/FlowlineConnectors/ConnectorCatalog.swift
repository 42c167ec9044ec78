/// What each connector type can do, as `describe-connectors` reports it and `create-flow` checks it.
///
/// The list is explicit, not discovered: adding a connector means adding its entry here and its
/// source or destination type in the registry.
public struct ConnectorCapabilities: Sendable, Hashable {
    /// The AppFlow `ConnectorType` value, e.g. `S3`, `Salesforce`, `Servicenow`.
    public var connectorType: String
    /// The key the connector uses inside per-connector objects (`sourceConnectorProperties.S3`,
    /// `connectorProfileProperties.ServiceNow`); AppFlow spells some differently from the type.
    public var propertiesKey: String
    public var label: String
    public var canUseAsSource: Bool
    public var canUseAsDestination: Bool
    public var supportedTriggerTypes: [String]
    public var supportedSchedulingFrequencies: [String]
    public var supportsIncrementalPull: Bool
    public var supportedWriteOperations: [String]
    /// Whether a flow run can move data with it in this build (profiles and flows can be
    /// created for every listed connector; runs need the implementation).
    public var runnable: Bool
    /// Whether its connector profiles carry credentials (S3 uses none).
    public var needsProfile: Bool
}

public enum ConnectorCatalog {
    static let allFrequencies = ["BYMINUTE", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "ONCE"]
    static let saasTriggers = ["Scheduled", "Event", "OnDemand"]

    public static let all: [ConnectorCapabilities] = [
        ConnectorCapabilities(connectorType: "S3", propertiesKey: "S3", label: "Amazon S3 (local files)",
                              canUseAsSource: true, canUseAsDestination: true,
                              supportedTriggerTypes: ["Scheduled", "Event", "OnDemand"], supportedSchedulingFrequencies: allFrequencies,
                              supportsIncrementalPull: true, supportedWriteOperations: ["INSERT"], runnable: true, needsProfile: false),
        ConnectorCapabilities(connectorType: "Redshift", propertiesKey: "Redshift", label: "Amazon Redshift (PostgreSQL)",
                              canUseAsSource: false, canUseAsDestination: true,
                              supportedTriggerTypes: [], supportedSchedulingFrequencies: [],
                              supportsIncrementalPull: false, supportedWriteOperations: ["INSERT", "UPSERT", "UPDATE", "DELETE"],
                              runnable: true, needsProfile: true),
        saas("Salesforce", "Salesforce", "Salesforce", runnable: true),
        saas("Zendesk", "Zendesk", "Zendesk", runnable: true),
        saas("Servicenow", "ServiceNow", "ServiceNow", runnable: true),
        saas("Slack", "Slack", "Slack", runnable: true),
        saas("Marketo", "Marketo", "Marketo", runnable: true),
        saas("SAPOData", "SAPOData", "SAP OData", runnable: true),
        saas("Googleanalytics", "GoogleAnalytics", "Google Analytics", runnable: true),
    ]

    private static func saas(_ type: String, _ key: String, _ label: String, runnable: Bool = false) -> ConnectorCapabilities {
        ConnectorCapabilities(connectorType: type, propertiesKey: key, label: label,
                              canUseAsSource: true, canUseAsDestination: false,
                              supportedTriggerTypes: saasTriggers, supportedSchedulingFrequencies: allFrequencies,
                              supportsIncrementalPull: true, supportedWriteOperations: [], runnable: runnable, needsProfile: true)
    }

    public static func capabilities(of connectorType: String) -> ConnectorCapabilities? {
        all.first { $0.connectorType == connectorType }
    }
}
