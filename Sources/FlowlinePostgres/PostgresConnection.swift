import CLibPQ
import Foundation

/// One libpq connection; owns its `PGconn*` and closes it in `deinit`.
///
/// Every call blocks the calling thread until the server answers. Not thread-safe: use it from
/// one thread at a time, which `PostgresSession` arranges (a serial queue per connection) so
/// async code never blocks Swift's cooperative pool.
public final class PostgresConnection {
    let handle: OpaquePointer?
    public let settings: PostgresConnectionSettings
    /// Whether a `COPY … FROM STDIN` is open (between `beginCopy` and `endCopy`).
    public internal(set) var isCopying = false

    /// Connects with `PQconnectdbParams`: the password travels as its own parameter, never
    /// inside a connection string that could be logged.
    public init(_ settings: PostgresConnectionSettings) throws(PostgresError) {
        self.settings = settings
        _ = LibpqEnvironment.cleared
        let pairs = settings.libpqParameters
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyArray: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        let valueArray: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        // libpq returns a handle even when connecting fails; keep it so deinit frees it.
        handle = PQconnectdbParams(keyArray, valueArray, 0)
        guard let handle else {
            throw PostgresError(message: "out of memory allocating a connection", operation: "connect to \(settings)")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            throw PostgresError(sqlState: Self.connectionSQLState(PQerrorMessage(handle).map { String(cString: $0) } ?? ""),
                                message: lastMessage, operation: "connect to \(settings)")
        }
    }

    deinit {
        PQfinish(handle)
    }

    /// libpq's last message for this connection, with the password removed should it appear.
    var lastMessage: String {
        let text = handle.flatMap { PQerrorMessage($0) }.map { String(cString: $0) } ?? "unknown error"
        return Redaction.remove(settings.password, from: text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Connection failures carry no SQLSTATE on the client; name authentication ones anyway.
    private static func connectionSQLState(_ message: String) -> String? {
        message.contains("password authentication failed") || message.contains("no password supplied") ? "28P01" : nil
    }

    /// Runs fixed SQL text, possibly several statements (migrations, BEGIN/COMMIT).
    /// Takes no parameters on purpose: values go through `query(_:_:)`.
    public func execute(_ sql: String, operation: String? = nil) throws(PostgresError) {
        let result = try check(PQexec(handle, sql), operation: operation ?? sql)
        _ = result
    }

    /// Runs one statement with `$1…$n` parameters sent apart from the SQL (text format; nil is
    /// NULL) and returns its result.
    @discardableResult
    public func query(_ sql: String, _ parameters: [String?] = [], operation: String? = nil) throws(PostgresError) -> PostgresResult {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let raw = PQexecParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
        return try check(raw, operation: operation ?? sql)
    }

    /// Wraps a result, throwing the server's error when the statement failed.
    private func check(_ raw: OpaquePointer?, operation: String) throws(PostgresError) -> PostgresResult {
        guard let raw else {
            throw PostgresError(message: lastMessage, operation: operation)
        }
        let result = PostgresResult(raw)
        switch result.status {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_COPY_IN:
            return result
        default:
            throw result.error(operation: operation, redacting: settings.password)
        }
    }

    /// Whether the server has a transaction open on this connection (also true after an error
    /// inside one, until ROLLBACK).
    public var isInTransaction: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR || status == PQTRANS_ACTIVE
    }
}
