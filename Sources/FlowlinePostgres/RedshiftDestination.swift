import FlowlineCore

/// The Redshift connector as a destination, served by PostgreSQL: each run is one transaction
/// that COPYs the records in while the source is still being read, applies the write operation,
/// and records itself in `flowline.load_ledger`; nothing is visible before it commits.
public struct RedshiftDestination: RecordDestination {
    /// How the run's records change the table.
    public struct WriteMode: Sendable, Hashable {
        public var operation: WriteOperation
        /// The fields that identify a row, for UPSERT, UPDATE and DELETE.
        public var idFieldNames: [String]

        public init(operation: WriteOperation = .insert, idFieldNames: [String] = []) {
            self.operation = operation
            self.idFieldNames = idFieldNames
        }
    }

    /// Where records the table cannot take go (AppFlow's `errorHandlingConfig` bucket and prefix).
    public struct ErrorLocation: Sendable, Hashable {
        /// The local folder standing for `s3://bucket/prefix`.
        public var directory: String
        /// `s3://bucket/prefix`, for messages.
        public var uri: String

        public init(directory: String, uri: String) {
            self.directory = directory
            self.uri = uri
        }
    }

    public var connection: PostgresConnectionSettings
    public var table: QualifiedName
    /// Nil: the first value the table cannot take fails the run (nothing is loaded). Set: such
    /// records go there, with the reason, and the rest loads.
    public var errorLocation: ErrorLocation?
    /// The write mode of the flow being run, asked once per run (Flowline reads it from the
    /// flow's tags; see ConnectorFactory+Redshift).
    public var writeMode: @Sendable (_ flowName: String) throws -> WriteMode
    /// Records this destination's committed loads left out, for the run's failure count.
    public let rejections = CommittedRejections()

    public init(connection: PostgresConnectionSettings, table: QualifiedName, errorLocation: ErrorLocation? = nil,
                writeMode: @escaping @Sendable (_ flowName: String) throws -> WriteMode = { _ in WriteMode() }) {
        self.connection = connection
        self.table = table
        self.errorLocation = errorLocation
        self.writeMode = writeMode
    }

    public func open(_ context: WriteContext) async throws -> any DestinationWriter {
        try await RedshiftDestinationWriter.open(self, context: context)
    }

    /// Where loads go, for the user (no credentials).
    var locationURI: String {
        "redshift://\(connection.host):\(connection.port)/\(connection.database)/\(table)"
    }
}
