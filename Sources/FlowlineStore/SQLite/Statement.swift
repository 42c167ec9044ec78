import CSQLite
import Foundation

/// One prepared statement; owns its `sqlite3_stmt*` and finalizes it in `deinit`.
///
/// Values only ever reach sqlite through `bind`, never through the SQL text.
public final class Statement {
    private let handle: OpaquePointer
    /// Kept so the connection outlives every statement prepared on it.
    private let connection: Connection
    public let sql: String

    init(connection: Connection, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection.handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            // A failed prepare leaves nothing to finalize (sqlite sets the pointer to NULL).
            throw SQLiteError(code: code, handle: connection.handle, sql: sql, operation: "prepare")
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to parameters 1...n, replacing earlier bindings.
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard expected == values.count else {
            throw SQLiteError(code: SQLITE_RANGE,
                              message: "statement takes \(expected) parameters, \(values.count) given",
                              sql: sql, operation: "bind")
        }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null:
                code = sqlite3_bind_null(handle, index)
            case .integer(let number):
                code = sqlite3_bind_int64(handle, index, number)
            case .real(let number):
                code = sqlite3_bind_double(handle, index, number)
            case .text(let text):
                code = sqlite3_bind_text(handle, index, text, -1, csqlite_transient())
            case .blob(let data):
                code = data.withUnsafeBytes { bytes in
                    // A zero-length blob must still bind as a blob, not NULL: give sqlite a valid pointer.
                    sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(bytes.count), csqlite_transient())
                }
            }
            guard code == SQLITE_OK else {
                throw SQLiteError(code: code, handle: connection.handle, sql: sql, operation: "bind")
            }
        }
    }

    /// Runs the statement to completion, discarding any rows.
    public func run() throws {
        while try step() {}
    }

    /// Runs the statement and collects every row.
    public func rows() throws -> [Row] {
        var names: [String: Int] = [:]
        let count = Int(sqlite3_column_count(handle))
        for index in 0..<count {
            names[String(cString: sqlite3_column_name(handle, Int32(index)))] = index
        }
        var rows: [Row] = []
        while try step() {
            rows.append(Row(columnIndex: names, values: (0..<count).map { column(at: Int32($0)) }))
        }
        return rows
    }

    /// Advances one row: `true` when a row is ready, `false` when done.
    private func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            sqlite3_reset(handle)
            return false
        case let code:
            // The extended code of the failure is what sqlite3_reset reports.
            let detailed = sqlite3_reset(handle)
            let reported = detailed == SQLITE_OK ? code : detailed
            throw SQLiteError(code: reported, handle: connection.handle, sql: sql, operation: "step")
        }
    }

    private func column(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let length = Int(sqlite3_column_bytes(handle, index))
            guard length > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob(Data()) }
            return .blob(Data(bytes: bytes, count: length))
        default:
            return .null
        }
    }
}
