/// What kind of stored record an error is about.
public enum RecordKind: String, Sendable {
    case connectorProfile = "connector profile"
    case flow
    case execution
    case customerKey = "customer key"
    case idempotencyToken = "idempotency token"
}

/// Failures of the metadata store that callers act on (as opposed to raw `SQLiteError`s).
/// Descriptions name records by name or ARN only, never by secret content.
public enum StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A record with this key already exists (UNIQUE or PRIMARY KEY refused the insert).
    case duplicate(RecordKind, key: String)
    /// No record with this key.
    case notFound(RecordKind, key: String)
    /// A connector profile is still used by flows and `force` was not given.
    case profileInUse(profile: String, flows: [String])
    /// The database was written by a newer Flowline than this binary.
    case schemaTooNew(path: String, found: Int, known: Int)
    /// A `nextToken` that this store did not hand out (or for another listing).
    case invalidNextToken
    /// A write kept finding the database locked after every retry.
    case busy(attempts: Int)
    /// A transaction object was used after its `read`/`write` block returned.
    case transactionClosed
    /// The database holds something this code cannot read back.
    case corruptRecord(detail: String)

    public var description: String {
        switch self {
        case .duplicate(let kind, let key):
            return "a \(kind.rawValue) named \(key) already exists"
        case .notFound(let kind, let key):
            return "no \(kind.rawValue) \(key)"
        case .profileInUse(let profile, let flows):
            return "connector profile \(profile) is used by flow(s) \(flows.joined(separator: ", "))"
        case .schemaTooNew(let path, let found, let known):
            return "\(path) was written by a newer Flowline (schema version \(found); this binary knows up to \(known))"
        case .invalidNextToken:
            return "the nextToken is not valid for this listing"
        case .busy(let attempts):
            return "the metadata database stayed locked after \(attempts) attempts"
        case .transactionClosed:
            return "a store transaction was used after its block returned"
        case .corruptRecord(let detail):
            return "unreadable metadata record: \(detail)"
        }
    }
}
