import CSQLite
import Foundation

/// One sqlite connection; owns its `sqlite3*` and closes it in `deinit`.
///
/// Not thread-safe by itself: the owner serializes use (see `MetadataStore`).
public final class Connection {
    let handle: OpaquePointer?
    public let path: String

    /// Opens (creating if needed) the database file at `path`.
    public init(path: String) throws {
        var db: OpaquePointer?
        // NOMUTEX: the owner serializes access, so sqlite's own per-call mutex is not needed.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        // sqlite hands back a handle even when opening fails; keep it so deinit closes it.
        self.handle = db
        self.path = path
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, handle: db, sql: nil, operation: "open \(path)")
        }
        sqlite3_extended_result_codes(db, 1)
    }

    deinit {
        // close_v2 defers the close until any statement still alive is finalized.
        sqlite3_close_v2(handle)
    }

    /// Runs fixed SQL text, possibly several statements (migrations, pragmas).
    /// Takes no parameters on purpose: any value must go through `run` or `query`.
    public func execute(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard code == SQLITE_OK else {
            // sqlite3_exec's own message names the failing statement of a script; prefer it.
            let message = errorMessage.map { String(cString: $0) }
            sqlite3_free(errorMessage)
            let error = SQLiteError(code: sqlite3_extended_errcode(handle), handle: handle, sql: sql, operation: "execute")
            throw SQLiteError(code: error.code, message: message ?? error.message, sql: sql, operation: "execute")
        }
    }

    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: self, sql: sql)
    }

    /// Runs one statement with bound parameters; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> Int {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        try statement.run()
        return Int(sqlite3_changes(handle))
    }

    /// Runs one query with bound parameters and returns its rows.
    public func query(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        return try statement.rows()
    }

    /// Sets how long a locked database is retried by sqlite before a call reports SQLITE_BUSY.
    public func setBusyTimeout(milliseconds: Int32) throws {
        let code = sqlite3_busy_timeout(handle, milliseconds)
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, handle: handle, sql: nil, operation: "busy_timeout")
        }
    }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}
