import CLibPQ

/// One `PGresult*`, freed in `deinit`. Values are read as text (libpq's text format).
public final class PostgresResult {
    let handle: OpaquePointer

    init(_ handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }

    /// Rows affected by the command (INSERT, UPDATE, DELETE, MERGE, COPY); 0 when not reported.
    public var affectedRows: Int64 { Int64(String(cString: PQcmdTuples(handle))) ?? 0 }

    public func columnName(_ column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    /// The value at `row`, `column` as text; nil for SQL NULL.
    public func text(_ row: Int, _ column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) == 1 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// Every row, every value as text (nil for NULL).
    public var rows: [[String?]] {
        (0..<rowCount).map { r in (0..<columnCount).map { c in text(r, c) } }
    }

    var status: ExecStatusType { PQresultStatus(handle) }

    func errorField(_ code: UInt8) -> String? {
        guard let p = PQresultErrorField(handle, Int32(code)) else { return nil }
        return String(cString: p)
    }

    /// The server's error as a `PostgresError` (SQLSTATE, message, detail, hint, context).
    func error(operation: String, redacting secret: String?) -> PostgresError {
        let primary = errorField(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(handle))
        return PostgresError(sqlState: errorField(UInt8(ascii: "C")),
                             message: Redaction.remove(secret, from: primary.trimmingCharacters(in: .newlines)),
                             detail: errorField(UInt8(ascii: "D")).map { Redaction.remove(secret, from: $0) },
                             hint: errorField(UInt8(ascii: "H")),
                             context: errorField(UInt8(ascii: "W")).map { Redaction.remove(secret, from: $0) },
                             operation: operation)
    }
}
