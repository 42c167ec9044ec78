/// Why a load into the warehouse failed, in words a user can act on. Never holds a password.
public enum RedshiftLoadError: Error, CustomStringConvertible {
    case cannotConnect(PostgresError)
    case columnMismatch(table: String, missingColumns: [String], tableColumns: [String])
    case requiredColumnsUnfilled(table: String, columns: [String])
    case tableMissing(String, operation: WriteOperation)
    case unknownKey(String, table: String, fields: [String])
    case missingKeys(WriteOperation)
    /// A value that cannot go into its column: the run's record number (1-based) and the column.
    case badValue(record: Int64, column: String, reason: String)
    /// The server refused the COPY data; `record` when its CONTEXT line located it.
    case copyRefused(table: String, record: Int64?, column: String?, cause: PostgresError)
    case database(PostgresError)
    case rejectedFile(String)

    public var description: String {
        switch self {
        case .cannotConnect(let e):
            if e.isAuthenticationFailure {
                return "ConnectorAuthenticationException: cannot sign in to the Redshift database \(e.operation.replacingOccurrences(of: "connect to ", with: "")): \(e.message)"
            }
            return "ConnectorServerException: cannot reach the Redshift database (\(e.operation)): \(e.message)"
        case .columnMismatch(let table, let missing, let columns):
            return "Table \(table) has no column for field(s) \(missing.joined(separator: ", ")) of the flow's output (its columns: \(columns.joined(separator: ", "))); nothing was loaded"
        case .requiredColumnsUnfilled(let table, let columns):
            return "Table \(table) has NOT NULL column(s) without a default that the flow's output does not fill: \(columns.joined(separator: ", ")); nothing was loaded"
        case .tableMissing(let table, let op):
            return "Table \(table) does not exist; \(op.rawValue) needs an existing table; nothing was loaded"
        case .unknownKey(let key, let table, let fields):
            return "idFieldNames names '\(key)', which is not a field of the flow's output into \(table) (fields: \(fields.joined(separator: ", ")))"
        case .missingKeys(let op):
            return "\(op.rawValue) into Redshift needs idFieldNames (the flowline:idFieldNames tag): the fields that identify a row"
        case .badValue(let record, let column, let reason):
            return "Record \(record) of the run, column \(column): \(reason); nothing was loaded (set errorHandlingConfig with failOnFirstDestinationError false to skip such records into the error bucket)"
        case .copyRefused(let table, let record, let column, let cause):
            var place = "PostgreSQL refused the data for \(table)"
            if let record { place += " at record \(record) of the run" }
            if let column { place += ", column \(column)" }
            return "\(place): \(cause.message)\(cause.sqlState.map { " (SQLSTATE \($0))" } ?? ""); nothing was loaded"
        case .database(let e):
            return "\(e)"
        case .rejectedFile(let why):
            return "Cannot write rejected records to the error location: \(why)"
        }
    }
}
