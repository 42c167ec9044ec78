import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlinePostgres
import FlowlineStore

extension AppFlowService {
    func createConnectorProfile(_ request: AppFlow.CreateConnectorProfileRequest) async throws(AppFlowError) -> AppFlow.CreateConnectorProfileResponse {
        if let token = request.clientToken,
           let earlier: AppFlow.CreateConnectorProfileResponse = try idempotentResponse(.createConnectorProfile, token) {
            return earlier
        }
        let capabilities = try profileCapabilities(request.connectorType.rawValue)
        let config = try ProfileConfig(request.connectorProfileConfig, capabilities: capabilities)
        let name = request.connectorProfileName
        // A name already taken fails now, before any wait on the network (the insert checks again).
        if try read({ tx in try tx.profile(named: name) }) != nil {
            throw .conflict("Connector profile \(name) already exists")
        }
        var credentials = config.credentials
        if configuration.checksConnections {
            try await Self.offeringSkip { () async throws(AppFlowError) in
                credentials = try await checkConnection(profileName: name, connectorType: capabilities.connectorType,
                                                        properties: config.properties, credentials: config.credentials)
            }
        }
        let created = now
        let record = ConnectorProfileRecord(
            name: name, arn: configuration.account.connectorProfileArn(name),
            connectorType: request.connectorType.rawValue, connectorLabel: request.connectorLabel,
            connectionMode: request.connectionMode.rawValue, kmsArn: request.kmsArn,
            credentialsArn: configuration.account.credentialsArn(name, createdAt: created),
            properties: config.properties, createdAt: created, lastUpdatedAt: created)
        let response = AppFlow.CreateConnectorProfileResponse(connectorProfileArn: record.arn)
        try write { tx in
            try tx.insertProfile(record, credentials: credentials)
            if let token = request.clientToken {
                try tx.insertIdempotencyRecord(IdempotencyRecord(operation: AppFlow.Operation.createConnectorProfile.rawValue,
                                                                 clientToken: token, response: Self.document(response), createdAt: created))
            }
        }
        return response
    }

    func describeConnectorProfiles(_ request: AppFlow.DescribeConnectorProfilesRequest) throws(AppFlowError) -> AppFlow.DescribeConnectorProfilesResponse {
        let page = try read { tx in
            try tx.listProfiles(names: request.connectorProfileNames, connectorType: request.connectorType?.rawValue,
                                maxResults: request.maxResults ?? 20, nextToken: request.nextToken)
        }
        let profiles = try page.items
            .filter { request.connectorLabel == nil || $0.connectorLabel == request.connectorLabel }
            .map { (record) throws(AppFlowError) in try Self.profileShape(record) }
        return AppFlow.DescribeConnectorProfilesResponse(connectorProfileDetails: profiles, nextToken: page.nextToken)
    }

    func updateConnectorProfile(_ request: AppFlow.UpdateConnectorProfileRequest) async throws(AppFlowError) -> AppFlow.UpdateConnectorProfileResponse {
        let name = request.connectorProfileName
        if configuration.checksConnections {
            let (connectorType, properties, credentials) = try updatedConnection(request)
            try await Self.offeringSkip { () async throws(AppFlowError) in
                _ = try await checkConnection(profileName: name, connectorType: connectorType, properties: properties, credentials: credentials)
            }
        }
        return try write { tx in
            guard let existing = try tx.profile(named: name) else { throw StoreError.notFound(.connectorProfile, key: name) }
            guard let capabilities = ConnectorCatalog.capabilities(of: existing.connectorType) else {
                throw AppFlowError.validation("Connector type \(existing.connectorType) is not supported")
            }
            let config = try ProfileConfig(request.connectorProfileConfig, capabilities: capabilities)
            try tx.updateProfile(named: name, connectionMode: request.connectionMode.rawValue, properties: config.properties,
                                 credentials: config.hasCredentials ? config.credentials : nil, lastUpdatedAt: now)
            return AppFlow.UpdateConnectorProfileResponse(connectorProfileArn: existing.arn)
        }
    }

    func deleteConnectorProfile(_ request: AppFlow.DeleteConnectorProfileRequest) throws(AppFlowError) -> AppFlow.DeleteConnectorProfileResponse {
        try write { tx in try tx.deleteProfile(named: request.connectorProfileName, force: request.forceDelete ?? false) }
        return AppFlow.DeleteConnectorProfileResponse()
    }

    /// Runs a connection check, adding to its failure how to store profiles without one.
    static func offeringSkip(_ check: () async throws(AppFlowError) -> Void) async throws(AppFlowError) {
        do {
            try await check()
        } catch where error.code == .connectorAuthentication || error.code == .connectorServer {
            throw AppFlowError(error.code, error.message + " (set FLOWLINE_SKIP_CONNECTION_CHECK=1 to store connector profiles without checking them, e.g. offline)")
        }
    }

    func profileCapabilities(_ connectorType: String) throws(AppFlowError) -> ConnectorCapabilities {
        guard let capabilities = ConnectorCatalog.capabilities(of: connectorType) else {
            let known = ConnectorCatalog.all.filter(\.needsProfile).map(\.connectorType).joined(separator: ", ")
            throw .validation("Connector type \(connectorType) is not supported by Flowline; supported: \(known)")
        }
        guard capabilities.needsProfile else {
            throw .validation("Connector type \(connectorType) does not use connector profiles; name its bucket in the flow instead")
        }
        return capabilities
    }

    /// A stored profile as `describe-connector-profiles` shows it: properties and the
    /// credentials ARN, never the credentials.
    static func profileShape(_ record: ConnectorProfileRecord) throws(AppFlowError) -> AppFlow.ConnectorProfile {
        let properties = try AppFlow.ConnectorProfileProperties(json: JSONValue.parse(record.properties), at: ShapePath())
        return AppFlow.ConnectorProfile(
            connectorProfileArn: record.arn, connectorProfileName: record.name,
            connectorType: AppFlow.ConnectorType(rawValue: record.connectorType), connectorLabel: record.connectorLabel,
            connectionMode: AppFlow.ConnectionMode(rawValue: record.connectionMode), credentialsArn: record.credentialsArn,
            connectorProfileProperties: properties, createdAt: record.createdAt, lastUpdatedAt: record.lastUpdatedAt)
    }

    static func document(_ shape: some ShapeValue) -> Data {
        shape.json(.epochSeconds).serialized()
    }
}

/// A profile configuration split into what may be shown (properties) and what is sealed (credentials).
struct ProfileConfig {
    let properties: Data
    let credentials: Data
    let hasCredentials: Bool

    init(_ config: AppFlow.ConnectorProfileConfig, capabilities: ConnectorCapabilities) throws(AppFlowError) {
        let key = capabilities.propertiesKey
        let propertiesJSON = config.connectorProfileProperties.json(.epochSeconds)
        try Self.requireOnly(key, in: propertiesJSON, member: "connectorProfileConfig.connectorProfileProperties",
                             connectorType: capabilities.connectorType)
        // A password inside the URL would be stored and shown in clear with the properties.
        if case .string(let url)? = propertiesJSON["Redshift"]?["databaseUrl"], PostgresConnectionSettings.carriesPassword(url) {
            throw .validation("connectorProfileConfig.connectorProfileProperties.Redshift.databaseUrl must not carry a password: "
                              + "give it as connectorProfileConfig.connectorProfileCredentials.Redshift.password, which is sealed")
        }
        properties = propertiesJSON.serialized()
        if let creds = config.connectorProfileCredentials {
            let credentialsJSON = creds.json(.epochSeconds)
            try Self.requireOnly(key, in: credentialsJSON, member: "connectorProfileConfig.connectorProfileCredentials",
                                 connectorType: capabilities.connectorType)
            credentials = credentialsJSON.serialized()
            hasCredentials = true
        } else {
            credentials = JSONValue.object([]).serialized()
            hasCredentials = false
        }
    }

    /// The per-connector object must hold exactly the connector's own member.
    private static func requireOnly(_ key: String, in json: JSONValue, member: String, connectorType: String) throws(AppFlowError) {
        guard case .object(let members) = json else { return }
        if let other = members.first(where: { $0.key != key }) {
            throw .validation("\(member) has settings for \(other.key), but the connector type is \(connectorType) (expected \(key))")
        }
        if members.isEmpty {
            throw .validation("\(member) must contain the \(key) settings for connector type \(connectorType)")
        }
    }
}
