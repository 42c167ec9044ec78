import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlinePostgres
import Synchronization

/// Trying a profile's connection and credentials once: what `create-connector-profile` and
/// `update-connector-profile` do before they store anything (unless
/// `FLOWLINE_SKIP_CONNECTION_CHECK` is set), and what the console's "Test connection" asks for.
extension AppFlowService {
    /// Validates `request` as `create-connector-profile` would and tries its connection and
    /// credentials; stores nothing. Throws what failed, in AppFlow's words, naming the profile.
    public func testConnection(_ request: AppFlow.CreateConnectorProfileRequest) async throws(AppFlowError) {
        try request.validate()
        let capabilities = try profileCapabilities(request.connectorType.rawValue)
        let config = try ProfileConfig(request.connectorProfileConfig, capabilities: capabilities)
        _ = try await checkConnection(profileName: request.connectorProfileName, connectorType: capabilities.connectorType,
                                      properties: config.properties, credentials: config.credentials)
    }

    /// The same for `update-connector-profile`: a request without credentials is tried with the
    /// profile's stored ones, as the update would keep them.
    public func testConnection(_ request: AppFlow.UpdateConnectorProfileRequest) async throws(AppFlowError) {
        try request.validate()
        let (connectorType, properties, credentials) = try updatedConnection(request)
        _ = try await checkConnection(profileName: request.connectorProfileName, connectorType: connectorType,
                                      properties: properties, credentials: credentials)
    }

    /// What an update would leave stored: the connector type, the new properties, and the new
    /// credentials or else the stored ones.
    func updatedConnection(_ request: AppFlow.UpdateConnectorProfileRequest) throws(AppFlowError) -> (String, Data, Data) {
        let name = request.connectorProfileName
        let (existing, stored) = try read { tx in
            guard let record = try tx.profile(named: name) else { throw AppFlowError.notFound("Connector profile \(name) does not exist") }
            return (record, try tx.profileCredentials(named: name))
        }
        guard let capabilities = ConnectorCatalog.capabilities(of: existing.connectorType) else {
            throw AppFlowError.validation("Connector type \(existing.connectorType) is not supported")
        }
        let config = try ProfileConfig(request.connectorProfileConfig, capabilities: capabilities)
        return (existing.connectorType, config.properties, config.hasCredentials ? config.credentials : stored)
    }

    /// Calls and waits of one check: a few tries within 20 seconds (less when
    /// `FLOWLINE_HTTP_TIMEOUT` says so), since someone is waiting for the answer.
    static var connectionCheckPolicy: RetryPolicy {
        RetryPolicy(maxAttempts: 3, budget: min(RetryPolicy.standard.budget, 20))
    }

    /// One cheap authenticated request to the application (SaaS), or a login and `SELECT 1`
    /// (Redshift). Connectors without a way to check are accepted as they are. Returns the
    /// credentials with any access token the check had to renew, so a profile stored next keeps
    /// the fresh one.
    func checkConnection(profileName: String, connectorType: String, properties: Data, credentials: Data) async throws(AppFlowError) -> Data {
        if connectorType == AppFlow.ConnectorType.redshift.rawValue {
            try await checkWarehouse(profileName: profileName, properties: properties, credentials: credentials)
            return credentials
        }
        guard Self.saasTypes.contains(where: { $0.rawValue == connectorType }) else { return credentials }
        let renewed = RenewedCredentials(try JSONValue.parse(credentials))
        let connection = SaaSConnection(profileName: profileName, connectorType: connectorType,
                                        properties: try JSONValue.parse(properties), credentials: renewed.current,
                                        policy: Self.connectionCheckPolicy,
                                        storeRenewedToken: { path, token in renewed.set(path, token) })
        let catalog = try connection.catalog()
        do {
            try await catalog.checkConnection()
        } catch {
            throw Self.connectionCheckFailure(Self.appFlowError(error, profileName: profileName))
        }
        return renewed.current.serialized()
    }

    private func checkWarehouse(profileName: String, properties: Data, credentials: Data) async throws(AppFlowError) {
        let settings = try Self.redshiftConnectionSettings(
            properties: try AppFlow.ConnectorProfileProperties(json: JSONValue.parse(properties), at: ShapePath()).Redshift,
            credentials: try AppFlow.ConnectorProfileCredentials(json: JSONValue.parse(credentials), at: ShapePath()).Redshift,
            profileName: profileName)
        // libpq blocks: connect on a thread of its own, never on the cooperative pool.
        let outcome: Result<Void, PostgresError> = await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                do throws(PostgresError) {
                    let connection = try PostgresConnection(settings)
                    try connection.execute("SELECT 1", operation: "a test query")
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        if case .failure(let error) = outcome {
            let message = "Connector profile \(profileName): \(error)"
            throw Self.connectionCheckFailure(error.isAuthenticationFailure ? .connectorAuthentication(message) : .connectorServer(message))
        }
    }

    static func connectionCheckFailure(_ error: AppFlowError) -> AppFlowError {
        AppFlowError(error.code, "Connection check failed: \(error.message)")
    }
}

/// A profile's credentials in memory, with the access tokens renewed while checking it put in.
final class RenewedCredentials: Sendable {
    private let value: Mutex<JSONValue>

    init(_ credentials: JSONValue) { value = Mutex(credentials) }

    var current: JSONValue { value.withLock { $0 } }

    /// `path` is inside the connector's own member (`accessToken`, `oAuth2Credentials.accessToken`).
    func set(_ path: [String], _ token: String) {
        value.withLock { json in
            guard case .object(var members) = json, let i = members.indices.first else { return }
            members[i].value = AppFlowService.setting(members[i].value, at: path[...], to: .string(token))
            json = .object(members)
        }
    }
}
