import Foundation
import FlowlineAPI
import FlowlineConnectors
import FlowlineCore
import FlowlinePostgres
import FlowlineStore

/// The Redshift destination (PostgreSQL through libpq), built from a flow's destination
/// properties and its connector profile; and the warehouse ledger lookup that run recovery uses.
extension AppFlowService {
    /// Flow tags choosing the write operation, since AppFlow's `RedshiftDestinationProperties`
    /// has no member for it: `flowline:writeOperationType` = INSERT (default) | UPSERT | UPDATE |
    /// DELETE, and `flowline:idFieldNames` = the key fields, separated by commas.
    static let redshiftWriteOperationTag = "flowline:writeOperationType"
    static let redshiftIdFieldNamesTag = "flowline:idFieldNames"

    func makeRedshiftDestination(_ config: AppFlow.DestinationFlowConfig) throws(AppFlowError) -> any RecordDestination {
        guard let properties = config.destinationConnectorProperties.Redshift else {
            throw .validation("destinationConnectorProperties.Redshift is required for a Redshift destination")
        }
        guard let profileName = config.connectorProfileName else {
            throw .validation("connectorProfileName is required for a Redshift destination")
        }
        let connection = try redshiftConnectionSettings(profileName: profileName)
        let table: QualifiedName
        do {
            table = try QualifiedName(parsing: properties.object)
        } catch {
            throw .validation("destinationConnectorProperties.Redshift.object: \(error.message)")
        }
        var errorLocation: RedshiftDestination.ErrorLocation?
        // AppFlow: with errorHandlingConfig and failOnFirstDestinationError false, records the
        // destination refuses go to that bucket and the rest loads; otherwise the first fails the run.
        if let handling = properties.errorHandlingConfig, handling.failOnFirstDestinationError != true {
            let bucket = handling.bucketName ?? properties.intermediateBucketName
            let prefix = (handling.bucketPrefix ?? properties.bucketPrefix ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            do {
                var directory = try configuration.s3Root.bucketPath(bucket)
                if !prefix.isEmpty { directory += "/" + (try S3Root.keyComponents(prefix)).joined(separator: "/") }
                errorLocation = RedshiftDestination.ErrorLocation(directory: directory,
                                                                  uri: "s3://\(bucket)" + (prefix.isEmpty ? "" : "/\(prefix)"))
            } catch {
                throw .validation("errorHandlingConfig: \(error)")
            }
        }
        return RedshiftDestination(connection: connection, table: table, errorLocation: errorLocation) { [self] flowName in
            try redshiftWriteMode(flowName: flowName)
        }
    }

    /// Records the run's Redshift destinations left out of their committed loads (bad values
    /// under the drop policy), with a note for the run's message: they count as put failures.
    static func redshiftRejections(_ destinations: [any RecordDestination]) -> (count: Int64, note: String?) {
        let summaries = destinations.compactMap { ($0 as? RedshiftDestination)?.rejections.summary }
        return (summaries.reduce(0) { $0 + $1.count }, summaries.compactMap(\.note).first)
    }

    /// Where and as whom to connect, from the profile's `databaseUrl`, `databaseName` and its
    /// sealed `username`/`password`.
    func redshiftConnectionSettings(profileName: String) throws(AppFlowError) -> PostgresConnectionSettings {
        let (record, sealed) = try read { tx in (try tx.profile(named: profileName), try tx.profileCredentials(named: profileName)) }
        guard let record else { throw .notFound("Connector profile \(profileName) does not exist") }
        let properties: AppFlow.RedshiftConnectorProfileProperties?
        let credentials: AppFlow.RedshiftConnectorProfileCredentials?
        do {
            properties = try AppFlow.ConnectorProfileProperties(json: JSONValue.parse(record.properties), at: ShapePath()).Redshift
            credentials = try AppFlow.ConnectorProfileCredentials(json: JSONValue.parse(sealed), at: ShapePath()).Redshift
        } catch {
            throw .internalServer("The stored connector profile \(profileName) cannot be read")
        }
        return try Self.redshiftConnectionSettings(properties: properties, credentials: credentials, profileName: profileName)
    }

    /// The same from a profile's properties and credentials in hand (a profile not stored yet).
    static func redshiftConnectionSettings(properties: AppFlow.RedshiftConnectorProfileProperties?,
                                           credentials: AppFlow.RedshiftConnectorProfileCredentials?,
                                           profileName: String) throws(AppFlowError) -> PostgresConnectionSettings {
        guard let properties else { throw .validation("Connector profile \(profileName) has no Redshift properties") }
        guard let url = properties.databaseUrl else {
            throw .validation("Connector profile \(profileName) needs connectorProfileProperties.Redshift.databaseUrl (jdbc:redshift://host:port/database) for Flowline to connect")
        }
        do {
            return try PostgresConnectionSettings(profileURL: url, user: credentials?.username, password: credentials?.password,
                                                  database: properties.databaseName)
        } catch {
            throw .validation("Connector profile \(profileName): \(error.message)")
        }
    }

    func redshiftWriteMode(flowName: String) throws(AppFlowError) -> RedshiftDestination.WriteMode {
        let tags = try read { tx in try tx.flow(named: flowName).map { try tx.tags(forResource: $0.arn) } ?? [:] }
        var mode = RedshiftDestination.WriteMode()
        if let raw = tags[Self.redshiftWriteOperationTag] {
            guard let op = WriteOperation(rawValue: raw.trimmingCharacters(in: .whitespaces).uppercased()) else {
                throw .validation("Tag \(Self.redshiftWriteOperationTag) must be one of \(WriteOperation.allCases.map(\.rawValue).joined(separator: ", ")), not '\(raw)'")
            }
            mode.operation = op
        }
        mode.idFieldNames = (tags[Self.redshiftIdFieldNamesTag] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return mode
    }

    /// What the warehouse ledger says about an execution whose process died.
    enum WarehouseLedgerVerdict {
        /// The flow loads no Redshift table: the ledger has nothing to say.
        case notApplicable
        /// The load committed: its ledger rows.
        case committed([LoadLedgerEntry])
        case notCommitted
        /// The warehouse could not be asked; deciding now could reload or skip data.
        case unknown
    }

    /// Asks the warehouse of each Redshift destination whether `executionId` committed there.
    /// Blocking (libpq): called from recovery, which is synchronous like the store it updates.
    func warehouseLedgerVerdict(flowName: String, executionId: String) -> WarehouseLedgerVerdict {
        guard let flow = try? read({ tx in try tx.flow(named: flowName) }), let definition = try? Self.definition(of: flow) else {
            return .notApplicable
        }
        let profiles = definition.destinationFlowConfigList.filter { $0.connectorType == .redshift }.compactMap(\.connectorProfileName)
        guard !profiles.isEmpty else { return .notApplicable }
        var entries: [LoadLedgerEntry] = []
        for profile in Set(profiles) {
            do {
                let connection = try PostgresConnection(try redshiftConnectionSettings(profileName: profile))
                entries += try LoadLedger.entries(executionId: executionId, on: connection)
            } catch {
                return .unknown
            }
        }
        return entries.isEmpty ? .notCommitted : .committed(entries)
    }
}
