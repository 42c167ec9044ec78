import Foundation

/// A stored connector profile, without its credentials (those stay sealed in the database;
/// `ReadTransaction.profileCredentials(named:)` opens them).
public struct ConnectorProfileRecord: Sendable, Equatable {
    public var name: String
    public var arn: String
    public var connectorType: String
    public var connectorLabel: String?
    public var connectionMode: String
    /// A customer key's ARN (see `createCustomerKey`); the credentials are sealed under it. Nil: the master key.
    public var kmsArn: String?
    public var credentialsArn: String
    /// The non-secret `connectorProfileProperties` JSON document.
    public var properties: Data
    public var createdAt: Date
    public var lastUpdatedAt: Date

    public init(name: String, arn: String, connectorType: String, connectorLabel: String? = nil,
                connectionMode: String, kmsArn: String? = nil, credentialsArn: String,
                properties: Data, createdAt: Date, lastUpdatedAt: Date) {
        self.name = name
        self.arn = arn
        self.connectorType = connectorType
        self.connectorLabel = connectorLabel
        self.connectionMode = connectionMode
        self.kmsArn = kmsArn
        self.credentialsArn = credentialsArn
        self.properties = properties
        self.createdAt = createdAt
        self.lastUpdatedAt = lastUpdatedAt
    }
}

private let profileColumns = """
    name, arn, connector_type, connector_label, connection_mode, kms_arn, credentials_arn,
    properties, created_at, last_updated_at
    """

extension ConnectorProfileRecord {
    init(row: Row) throws {
        self.init(name: try row.text("name"), arn: try row.text("arn"),
                  connectorType: try row.text("connector_type"),
                  connectorLabel: try row.optionalText("connector_label"),
                  connectionMode: try row.text("connection_mode"), kmsArn: try row.optionalText("kms_arn"),
                  credentialsArn: try row.text("credentials_arn"), properties: try row.data("properties"),
                  createdAt: try row.date("created_at"), lastUpdatedAt: try row.date("last_updated_at"))
    }
}

extension ReadTransaction {
    public func profile(named name: String) throws -> ConnectorProfileRecord? {
        try query("SELECT \(profileColumns) FROM connector_profiles WHERE name = ?", [.text(name)])
            .first.map(ConnectorProfileRecord.init(row:))
    }

    /// Profiles in name order, optionally only those named in `names` and/or of `connectorType`.
    public func listProfiles(names: [String]? = nil, connectorType: String? = nil,
                             maxResults: Int, nextToken: String? = nil) throws -> Page<ConnectorProfileRecord> {
        let after = try PageToken.key(from: nextToken, listing: "profiles", count: 1)?.first
        let limit = PageToken.limit(maxResults)
        // The name filter is one bound JSON array, expanded by json_each, so the SQL stays fixed.
        let namesJSON = try names.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        let rows = try query("""
            SELECT \(profileColumns) FROM connector_profiles
            WHERE (?1 IS NULL OR name IN (SELECT value FROM json_each(?1)))
              AND (?2 IS NULL OR connector_type = ?2)
              AND (?3 IS NULL OR name > ?3)
            ORDER BY name LIMIT ?4
            """, [.text(namesJSON), .text(connectorType), .text(after), .integer(Int64(limit + 1))])
        return PageToken.page(try rows.map(ConnectorProfileRecord.init(row:)), limit: limit,
                              listing: "profiles") { [$0.name] }
    }

    /// The profile's credentials, unsealed. Throws `notFound` for an unknown profile and
    /// `SealingError` if the stored blob does not open (wrong key, or moved from another profile).
    public func profileCredentials(named name: String) throws -> Data {
        let rows = try query("SELECT arn, sealed_credentials FROM connector_profiles WHERE name = ?", [.text(name)])
        guard let row = rows.first else { throw StoreError.notFound(.connectorProfile, key: name) }
        return try sealer().open(try row.data("sealed_credentials"), associatedData: Data(try row.text("arn").utf8))
    }

    /// The key id that seals under `kmsArn`: nil (master key) for no ARN, else the customer key's id.
    func sealingKeyId(kmsArn: String?) throws -> String? {
        guard let kmsArn else { return nil }
        guard let key = try customerKey(arn: kmsArn) else { throw StoreError.notFound(.customerKey, key: kmsArn) }
        return key.keyId
    }
}

extension WriteTransaction {
    /// Inserts a profile, sealing `credentials` under its `kmsArn` key (or the master key) with
    /// the profile ARN as associated data. Throws `.duplicate` for a taken name or ARN.
    public func insertProfile(_ profile: ConnectorProfileRecord, credentials: Data) throws {
        let sealed = try sealer().seal(plaintext: credentials, keyId: try sealingKeyId(kmsArn: profile.kmsArn),
                                       associatedData: Data(profile.arn.utf8))
        try insert("""
            INSERT INTO connector_profiles (\(profileColumns), sealed_credentials)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(profile.name), .text(profile.arn), .text(profile.connectorType), .text(profile.connectorLabel),
                  .text(profile.connectionMode), .text(profile.kmsArn), .text(profile.credentialsArn),
                  .blob(profile.properties), .timestamp(profile.createdAt), .timestamp(profile.lastUpdatedAt),
                  .blob(sealed)],
            kind: .connectorProfile, key: profile.name)
    }

    /// Updates the mutable parts of a profile; `credentials` nil keeps the sealed ones.
    public func updateProfile(named name: String, connectionMode: String, properties: Data,
                              credentials: Data?, lastUpdatedAt: Date) throws {
        try change("""
            UPDATE connector_profiles SET connection_mode = ?, properties = ?, last_updated_at = ?
            WHERE name = ?
            """, [.text(connectionMode), .blob(properties), .timestamp(lastUpdatedAt), .text(name)],
            kind: .connectorProfile, key: name)
        guard let credentials, let profile = try profile(named: name) else { return }
        let sealed = try sealer().seal(plaintext: credentials, keyId: try sealingKeyId(kmsArn: profile.kmsArn),
                                       associatedData: Data(profile.arn.utf8))
        try run("UPDATE connector_profiles SET sealed_credentials = ? WHERE name = ?", [.blob(sealed), .text(name)])
    }

    /// Deletes a profile and its tags. Unless `force`, refuses with `.profileInUse` while flows use it;
    /// with `force` the links from those flows go too.
    public func deleteProfile(named name: String, force: Bool = false) throws {
        if !force {
            let users = try flowsUsing(profileName: name)
            if !users.isEmpty { throw StoreError.profileInUse(profile: name, flows: users) }
        }
        try change("DELETE FROM connector_profiles WHERE name = ?", [.text(name)], kind: .connectorProfile, key: name)
    }
}
