import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlineStore

/// Builds SaaS sources and catalogs from a flow's source settings and its connector profile:
/// the profile's properties (instance URL…) and its credentials, unsealed only here, in memory.
/// Renewed OAuth access tokens are sealed back into the profile for later runs.
extension AppFlowService {
    static let saasTypes: Set<AppFlow.ConnectorType> = [.salesforce, .servicenow, .slack, .zendesk,
                                                        .marketo, .sapoData, .googleanalytics]

    /// The source of a run, given the flow's tasks so a SaaS source can push the projection and
    /// the filters into its query (the task plan still applies them: pushdown only saves transfer).
    func makeSource(_ config: AppFlow.SourceFlowConfig, tasks: [AppFlow.Task]) throws(AppFlowError) -> any RecordSource {
        Self.saasTypes.contains(config.connectorType) ? try makeSaaSSource(config, tasks: tasks) : try makeSource(config)
    }

    func makeSaaSSource(_ config: AppFlow.SourceFlowConfig, tasks: [AppFlow.Task] = []) throws(AppFlowError) -> any RecordSource {
        guard let profileName = config.connectorProfileName else {
            throw .validation("sourceFlowConfig.connectorProfileName is required for connector type \(config.connectorType.rawValue)")
        }
        let connection = try saasConnection(profileName: profileName)
        let specs = tasks.map(FlowTasks.spec)
        // The filters of the flow's tasks, typed against the object's fields, for pushdown.
        let pushdown: @Sendable (Schema) -> [FilterCriterion] = { schema in
            (try? TaskPlan.compile(specs, sourceSchema: schema))?.filterCriteria ?? []
        }
        let props = config.sourceConnectorProperties
        let source: any RecordSource
        switch config.connectorType {
        case .salesforce:
            guard let sf = props.Salesforce else { throw .validation("sourceConnectorProperties.Salesforce is required") }
            source = SalesforceSource(api: try connection.salesforce(), object: sf.object,
                                      includeDeletedRecords: sf.includeDeletedRecords ?? false, pushdown: pushdown)
        case .servicenow:
            guard let sn = props.ServiceNow else { throw .validation("sourceConnectorProperties.ServiceNow is required") }
            source = ServiceNowSource(api: try connection.serviceNow(), table: sn.object, pushdown: pushdown)
        case .slack:
            guard let slack = props.Slack else { throw .validation("sourceConnectorProperties.Slack is required") }
            source = SlackSource(api: try connection.slack(), entity: slack.object)
        case .zendesk:
            guard let zd = props.Zendesk else { throw .validation("sourceConnectorProperties.Zendesk is required") }
            source = ZendeskSource(api: try connection.zendesk(), object: zd.object)
        case .marketo: source = try connection.marketoSource(props)
        case .sapoData: source = try connection.sapODataSource(props)
        case .googleanalytics: source = try connection.googleAnalyticsSource(props)
        default:
            throw .validation("Flows from \(config.connectorType.rawValue) cannot run in this build of Flowline yet")
        }
        return ProfiledSource(inner: source, profileName: profileName)
    }

    /// The fields of a SaaS flow source's object as its application describes them, for checking
    /// tasks at create time; nil when the source is not one of these connectors or the application
    /// cannot be asked now (unreachable, refusing the credentials: the run reports that).
    func describedSourceFields(_ config: AppFlow.SourceFlowConfig) async throws(AppFlowError) -> (entity: String, fields: [SaaSField])? {
        let props = config.sourceConnectorProperties
        let entity: String?
        switch config.connectorType {
        case .salesforce: entity = props.Salesforce?.object
        case .servicenow: entity = props.ServiceNow?.object
        case .slack: entity = props.Slack?.object
        case .zendesk: entity = props.Zendesk?.object
        case .marketo: entity = props.Marketo?.object
        // The object path (`/sap/opu/odata/sap/SERVICE/EntitySet`): the catalog finds its entity set in it.
        case .sapoData: entity = props.SAPOData?.objectPath
        // The view id: its fields are the Metadata API's dimensions and metrics.
        case .googleanalytics: entity = props.GoogleAnalytics?.object
        default: entity = nil
        }
        guard let entity, let profileName = config.connectorProfileName else { return nil }
        var connection = try saasConnection(profileName: profileName)
        // One short try: creating a flow should not wait a minute on an instance that is down.
        connection.policy = RetryPolicy(maxAttempts: 1, budget: 5)
        let catalog = try connection.catalog()
        do {
            return (entity, try await catalog.fields(of: entity))
        } catch {
            switch error {
            case .api, .configuration: throw Self.appFlowError(error, profileName: profileName)
            case .unreachable, .authentication, .exhaustedRetries, .malformed: return nil
            }
        }
    }

    /// The entity catalog of a profile's application (for list/describe-connector-entities).
    func saasCatalog(profileName: String) throws(AppFlowError) -> any SaaSCatalog {
        try saasConnection(profileName: profileName).catalog()
    }

    func saasConnection(profileName: String) throws(AppFlowError) -> SaaSConnection {
        let (record, credentials) = try read { tx in
            guard let record = try tx.profile(named: profileName) else { throw AppFlowError.notFound("Connector profile \(profileName) does not exist") }
            return (record, try tx.profileCredentials(named: profileName))
        }
        let properties = try JSONValue.parse(record.properties)
        let secrets = try JSONValue.parse(credentials)
        let service = self
        return SaaSConnection(profileName: profileName, connectorType: record.connectorType,
                              properties: properties, credentials: secrets,
                              storeRenewedToken: { path, token in
                                  await service.storeRenewedToken(profileName: profileName, path: path, token: token)
                              })
    }

    /// Seals a renewed access token into the profile at `path` inside its connector's credentials
    /// (`accessToken`, or `oAuth2Credentials.accessToken`), keeping the other credentials.
    func storeRenewedToken(profileName: String, path: [String], token: String) async {
        _ = try? write { tx in
            guard let record = try tx.profile(named: profileName) else { return }
            let stored = try JSONValue.parse(try tx.profileCredentials(named: profileName))
            guard case .object(var members) = stored, let i = members.indices.first else { return }
            members[i].value = Self.setting(members[i].value, at: path[...], to: .string(token))
            try tx.updateProfile(named: profileName, connectionMode: record.connectionMode, properties: record.properties,
                                 credentials: JSONValue.object(members).serialized(), lastUpdatedAt: Date())
        }
    }

    /// `json` with the member at `path` replaced (objects along the path are created when missing).
    static func setting(_ json: JSONValue, at path: ArraySlice<String>, to value: JSONValue) -> JSONValue {
        guard let key = path.first else { return value }
        var members: [(key: String, value: JSONValue)] = []
        if case .object(let m) = json { members = m }
        let inner = members.first { $0.key == key }?.value ?? .object([])
        members.removeAll { $0.key == key }
        members.append((key: key, value: setting(inner, at: path.dropFirst(), to: value)))
        return .object(members)
    }

    /// A connector's failure in the API's words, naming the profile; never its secrets.
    static func appFlowError(_ error: Error, profileName: String) -> AppFlowError {
        if let e = error as? AppFlowError { return e }
        guard let e = error as? ConnectorError else { return .connectorServer("\(error)") }
        switch e {
        case .authentication: return .connectorAuthentication("Connector profile \(profileName): \(e)")
        case .configuration: return .validation("\(e)")
        case .unreachable, .api, .exhaustedRetries, .malformed: return .connectorServer("Connector profile \(profileName): \(e)")
        }
    }
}

/// One profile's settings, ready to build API clients.
struct SaaSConnection: Sendable {
    let profileName: String
    let connectorType: String
    let properties: JSONValue
    let credentials: JSONValue
    /// Retries and deadline of the calls made for this profile.
    var policy: RetryPolicy = .standard
    /// Stores a renewed access token at a path inside the connector's credentials.
    let storeRenewedToken: @Sendable ([String], String) async -> Void

    /// Stores a renewed token as the connector's `accessToken`.
    var onTokenRenewed: @Sendable (String) async -> Void { tokenRenewed(at: ["accessToken"]) }

    func tokenRenewed(at path: [String]) -> @Sendable (String) async -> Void {
        let store = storeRenewedToken
        return { token in await store(path, token) }
    }

    func property(_ key: String, _ name: String) -> String? { properties[key]?[name]?.stringValue }
    func secret(_ key: String, _ name: String) -> String? { credentials[key]?[name]?.stringValue }

    func instanceURL(_ key: String) throws(AppFlowError) -> String {
        guard let url = property(key, "instanceUrl"), url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .validation("Connector profile \(profileName) needs connectorProfileProperties.\(key).instanceUrl (an http or https URL)")
        }
        return url
    }

    /// Tokens are renewed at the login host `isSandboxEnvironment` chooses, or at
    /// `FLOWLINE_SALESFORCE_LOGIN_URL`; the connected app's client id and secret (sent with the
    /// refresh token) are Flowline's own, `FLOWLINE_SALESFORCE_CLIENT_ID`/`_SECRET`, as AppFlow
    /// uses its own connected app.
    func salesforce() throws(AppFlowError) -> SalesforceAPI {
        let env = ProcessInfo.processInfo.environment.filter { !$0.value.isEmpty }
        let isSandbox = properties["Salesforce"]?["isSandboxEnvironment"]?.boolValue ?? false
        return SalesforceAPI(instanceURL: try instanceURL("Salesforce"),
                             tokenURL: SalesforceAPI.tokenURL(isSandboxEnvironment: isSandbox, loginURL: env["FLOWLINE_SALESFORCE_LOGIN_URL"]),
                             accessToken: secret("Salesforce", "accessToken"), refreshToken: secret("Salesforce", "refreshToken"),
                             clientId: env["FLOWLINE_SALESFORCE_CLIENT_ID"], clientSecret: env["FLOWLINE_SALESFORCE_CLIENT_SECRET"],
                             policy: policy, onTokenRenewed: onTokenRenewed)
    }

    /// Basic auth, or OAuth 2 with `oAuth2Credentials` (its renewed access token is sealed back there).
    func serviceNow() throws(AppFlowError) -> ServiceNowAPI {
        let url = try instanceURL("ServiceNow")
        let oauth = credentials["ServiceNow"]?["oAuth2Credentials"]
        let auth = ServiceNowAPI.authenticator(
            instanceURL: url, username: secret("ServiceNow", "username"), password: secret("ServiceNow", "password"),
            accessToken: oauth?["accessToken"]?.stringValue, refreshToken: oauth?["refreshToken"]?.stringValue,
            clientId: oauth?["clientId"]?.stringValue, clientSecret: oauth?["clientSecret"]?.stringValue,
            onRenewed: tokenRenewed(at: ["oAuth2Credentials", "accessToken"]))
        return ServiceNowAPI(instanceURL: url, authenticator: auth, policy: policy)
    }

    func bearer(_ key: String) throws(AppFlowError) -> String {
        guard let token = secret(key, "accessToken"), !token.isEmpty else {
            throw .connectorAuthentication("Connector profile \(profileName) has no access token for \(key)")
        }
        return token
    }

    func slack() throws(AppFlowError) -> SlackAPI {
        SlackAPI(instanceURL: try instanceURL("Slack"), token: try bearer("Slack"), policy: policy)
    }

    func zendesk() throws(AppFlowError) -> ZendeskAPI {
        ZendeskAPI(instanceURL: try instanceURL("Zendesk"), token: try bearer("Zendesk"), policy: policy)
    }

    func catalog() throws(AppFlowError) -> any SaaSCatalog {
        switch connectorType {
        case "Salesforce": return try salesforce()
        case "Servicenow": return try serviceNow()
        case "Slack": return try slack()
        case "Zendesk": return try zendesk()
        case "Marketo": return try marketo()
        case "SAPOData": return try sapOData()
        case "Googleanalytics": return try googleAnalytics()
        default:
            throw .validation("Listing entities of \(connectorType) needs its connector implementation, which this build does not have yet")
        }
    }
}

/// A source whose failures name its connector profile in AppFlow's error vocabulary.
struct ProfiledSource: RecordSource {
    let inner: any RecordSource
    let profileName: String

    var appliesWindow: Bool { inner.appliesWindow }

    func schema() async throws -> Schema {
        do { return try await inner.schema() } catch { throw AppFlowService.appFlowError(error, profileName: profileName) }
    }

    func read(_ request: ReadRequest) -> AsyncThrowingStream<SourceChunk, Error> {
        let box = IteratorBox(inner.read(request).makeAsyncIterator())
        let name = profileName
        return AsyncThrowingStream(unfolding: {
            do { return try await box.next() } catch { throw AppFlowService.appFlowError(error, profileName: name) }
        })
    }

    final class IteratorBox: @unchecked Sendable {
        // @unchecked: AsyncThrowingStream(unfolding:) calls `next` one call at a time.
        var iterator: AsyncThrowingStream<SourceChunk, Error>.AsyncIterator
        init(_ iterator: AsyncThrowingStream<SourceChunk, Error>.AsyncIterator) { self.iterator = iterator }
        func next() async throws -> SourceChunk? { try await iterator.next() }
    }
}

/// `list-connector-entities` and `describe-connector-entity` for SaaS profiles: asked of the
/// application itself (Salesforce's global and object describe, ServiceNow's tables…).
extension AppFlowService {
    func listSaaSEntities(profileName: String) async throws(AppFlowError) -> AppFlow.ListConnectorEntitiesResponse {
        let catalog = try saasCatalog(profileName: profileName)
        do {
            let entities = try await catalog.entities()
            return AppFlow.ListConnectorEntitiesResponse(connectorEntityMap: [
                "Objects": entities.map { AppFlow.ConnectorEntity(name: $0.name, label: $0.label, hasNestedEntities: false) }])
        } catch {
            throw Self.appFlowError(error, profileName: profileName)
        }
    }

    func describeSaaSEntity(_ name: String, profileName: String) async throws(AppFlowError) -> AppFlow.DescribeConnectorEntityResponse {
        let catalog = try saasCatalog(profileName: profileName)
        do {
            let fields = try await catalog.fields(of: name)
            return AppFlow.DescribeConnectorEntityResponse(connectorEntityFields: fields.map { f in
                AppFlow.ConnectorEntityField(
                    identifier: f.name, label: f.label,
                    supportedFieldTypeDetails: AppFlow.SupportedFieldTypeDetails(
                        v1: AppFlow.FieldTypeDetails(fieldType: f.nativeType,
                                                     filterOperators: f.filterOperators.compactMap(AppFlow.Operator.init(rawValue:)))))
            })
        } catch {
            throw Self.appFlowError(error, profileName: profileName)
        }
    }
}
