import CSQLite

/// A failed sqlite call: the result code, sqlite's own message and the SQL being run.
///
/// Bound parameter values are never part of the error (they may be secrets); the SQL text
/// only ever holds placeholders because every value goes through a bound parameter.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code (e.g. 2067 for SQLITE_CONSTRAINT_UNIQUE).
    public let code: Int32
    /// sqlite's message for the failure (`sqlite3_errmsg`), or `sqlite3_errstr` of the code.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// What was being done: "open /path/flowline.db", "prepare", "step", "bind", ….
    public let operation: String

    public init(code: Int32, message: String, sql: String?, operation: String) {
        self.code = code
        self.message = message
        self.sql = sql
        self.operation = operation
    }

    /// The primary result code (the low byte of the extended code), e.g. SQLITE_BUSY.
    public var primaryCode: Int32 { code & 0xFF }

    /// The database was locked by another connection beyond the busy timeout.
    public var isBusy: Bool { primaryCode == SQLITE_BUSY || primaryCode == SQLITE_LOCKED }

    /// A UNIQUE or PRIMARY KEY constraint refused a row.
    public var isUniqueViolation: Bool {
        code == Self.constraintUnique || code == Self.constraintPrimaryKey
    }

    /// A FOREIGN KEY constraint refused a row.
    public var isForeignKeyViolation: Bool { code == Self.constraintForeignKey }

    // sqlite's extended constraint codes are macros Swift cannot import; same values as sqlite3.h.
    static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)

    public var description: String {
        var text = "sqlite error \(code) during \(operation): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}

extension SQLiteError {
    /// The error sqlite reports for `handle` after a call returned `code`.
    init(code: Int32, handle: OpaquePointer?, sql: String?, operation: String) {
        let message: String
        if let handle, let text = sqlite3_errmsg(handle) {
            message = String(cString: text)
        } else if let text = sqlite3_errstr(code) {
            message = String(cString: text)
        } else {
            message = "unknown error"
        }
        self.init(code: code, message: message, sql: sql, operation: operation)
    }
}
