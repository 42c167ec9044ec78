import CLibPQ
import FlowlineCore

/// `COPY … FROM STDIN`: start it, send data, then end it with CopyDone or CopyFail.
extension PostgresConnection {
    /// Starts `COPY table (columns) FROM STDIN` in PostgreSQL's text format, or its binary format
    /// (then the data starts with `CopyBinaryEncoder.header` and ends with its trailer).
    func beginCopy(table: QualifiedName, columns: [String], binary: Bool = false) throws(PostgresError) {
        let list = columns.map(QualifiedName.quote).joined(separator: ", ")
        let result = try query("COPY \(table.quoted) (\(list)) FROM STDIN" + (binary ? " (FORMAT binary)" : ""), operation: "COPY \(table)")
        guard result.status == PGRES_COPY_IN else {
            throw PostgresError(message: "the server did not enter COPY mode", operation: "COPY \(table)")
        }
        isCopying = true
    }

    /// Sends a piece of COPY data (whole rows or not; the server joins them).
    func putCopyData(_ bytes: [UInt8], table: QualifiedName) throws(PostgresError) {
        guard !bytes.isEmpty else { return }
        let sent = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                PQputCopyData(handle, $0, Int32(buffer.count))
            }
        }
        if sent != 1 {
            // The server may have refused a row already (it answers at once and drops the rest):
            // its error, with the CONTEXT line naming the row, is the one worth reporting.
            var error = PostgresError(message: lastMessage, operation: "COPY \(table)")
            isCopying = false
            while let raw = PQgetResult(handle) {
                let result = PostgresResult(raw)
                if result.status == PGRES_COPY_IN { break }
                if result.status == PGRES_FATAL_ERROR { error = result.error(operation: "COPY \(table)", redacting: settings.password) }
            }
            throw error
        }
    }

    /// Ends the COPY: CopyDone when `failure` is nil (returns the rows copied), else CopyFail
    /// with that message, which makes the server abort the statement.
    @discardableResult
    func endCopy(failure: String?, table: QualifiedName) throws(PostgresError) -> Int64 {
        isCopying = false
        let ended = PQputCopyEnd(handle, failure)
        guard ended == 1 else { throw PostgresError(message: lastMessage, operation: "end COPY \(table)") }
        // The COPY's outcome is the next result; drain to the end so the connection is usable.
        var outcome: Result<Int64, PostgresError> = .success(0)
        while let raw = PQgetResult(handle) {
            let result = PostgresResult(raw)
            switch result.status {
            case PGRES_COMMAND_OK:
                outcome = .success(result.affectedRows)
            case PGRES_COPY_IN:
                // Should not happen after PQputCopyEnd; end again rather than loop forever.
                PQputCopyEnd(handle, "protocol confusion")
            default:
                if case .success = outcome {
                    outcome = .failure(result.error(operation: "COPY \(table)", redacting: settings.password))
                }
            }
        }
        return try outcome.get()
    }

    /// A scoped COPY: `body` receives a writer; when it returns, the COPY ends with CopyDone and
    /// this returns the rows copied; when it throws, the COPY ends with CopyFail and the error
    /// is rethrown (the table keeps none of the rows).
    @discardableResult
    public func copyIn(table: QualifiedName, columns: [String],
                       _ body: (CopyInWriter) throws -> Void) throws -> Int64 {
        try beginCopy(table: table, columns: columns)
        let writer = CopyInWriter(connection: self, table: table)
        do {
            try body(writer)
        } catch {
            _ = try? endCopy(failure: "aborted by the client: \(error)", table: table)
            throw error
        }
        return try endCopy(failure: nil, table: table)
    }
}

/// Sends rows into an open COPY; `copyIn(table:columns:_:)` hands one out.
public struct CopyInWriter {
    let connection: PostgresConnection
    let table: QualifiedName

    /// Sends COPY text-format bytes (rows end with `\n`; see `CopyTextEncoder`).
    public func write(_ bytes: [UInt8]) throws(PostgresError) {
        try connection.putCopyData(bytes, table: table)
    }

    /// Encodes one row of values in COPY text format and sends it.
    public func write(row: [Value]) throws(PostgresError) {
        var encoder = CopyTextEncoder()
        encoder.append(row: row)
        try write(encoder.bytes)
    }
}
