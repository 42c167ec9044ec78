import FlowlineCore

/// One row of `flowline.load_ledger`: a run's load into one table, committed with its data.
public struct LoadLedgerEntry: Sendable, Equatable {
    public var executionId: String
    public var targetTable: String
    public var flowName: String
    public var writeOperation: String
    public var window: IncrementalWindow?
    public var recordsCopied: Int64
    public var recordsAffected: Int64
    public var recordsRejected: Int64
    public var bytesSent: Int64
    /// Microseconds since the epoch.
    public var runStartedAt: Int64

    public init(executionId: String, targetTable: String, flowName: String, writeOperation: String,
                window: IncrementalWindow?, recordsCopied: Int64, recordsAffected: Int64, recordsRejected: Int64,
                bytesSent: Int64, runStartedAt: Int64) {
        self.executionId = executionId
        self.targetTable = targetTable
        self.flowName = flowName
        self.writeOperation = writeOperation
        self.window = window
        self.recordsCopied = recordsCopied
        self.recordsAffected = recordsAffected
        self.recordsRejected = recordsRejected
        self.bytesSent = bytesSent
        self.runStartedAt = runStartedAt
    }
}

/// Reads and writes the ledger. Writing belongs inside the load's transaction.
public enum LoadLedger {
    static func timestamp(_ micros: Int64?) -> String? { micros.map(ValueFormat.timestampString(micros:)) }

    static func insert(_ entry: LoadLedgerEntry, on connection: PostgresConnection) throws(PostgresError) {
        try connection.query("""
            INSERT INTO flowline.load_ledger (execution_id, target_table, flow_name, write_operation, window_field,
                window_start, window_end, records_copied, records_affected, records_rejected, bytes_sent, run_started_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, [entry.executionId, entry.targetTable, entry.flowName, entry.writeOperation, entry.window?.field,
                  timestamp(entry.window?.from), timestamp(entry.window?.to), String(entry.recordsCopied),
                  String(entry.recordsAffected), String(entry.recordsRejected), String(entry.bytesSent),
                  timestamp(entry.runStartedAt)], operation: "record the load in flowline.load_ledger")
    }

    /// The ledger rows of one execution (one per table it loaded); empty when it never committed
    /// or the warehouse has no ledger yet.
    public static func entries(executionId: String, on connection: PostgresConnection) throws(PostgresError) -> [LoadLedgerEntry] {
        let exists = try connection.query("SELECT to_regclass('flowline.load_ledger') IS NOT NULL", operation: "look for the load ledger")
        guard exists.text(0, 0) == "t" else { return [] }
        let result = try connection.query("""
            SELECT execution_id, target_table, flow_name, write_operation, window_field,
                   (extract(epoch FROM window_start) * 1000000)::bigint, (extract(epoch FROM window_end) * 1000000)::bigint,
                   records_copied, records_affected, records_rejected, bytes_sent,
                   (extract(epoch FROM run_started_at) * 1000000)::bigint
            FROM flowline.load_ledger WHERE execution_id = $1 ORDER BY target_table
            """, [executionId], operation: "read flowline.load_ledger")
        return result.rows.map { r in
            let window: IncrementalWindow? = r[4].flatMap { field in
                guard let from = r[5].flatMap({ Int64($0) }), let to = r[6].flatMap({ Int64($0) }) else { return nil }
                return IncrementalWindow(field: field, from: from, to: to)
            }
            return LoadLedgerEntry(executionId: r[0] ?? "", targetTable: r[1] ?? "", flowName: r[2] ?? "",
                                   writeOperation: r[3] ?? "", window: window,
                                   recordsCopied: Int64(r[7] ?? "") ?? 0, recordsAffected: Int64(r[8] ?? "") ?? 0,
                                   recordsRejected: Int64(r[9] ?? "") ?? 0, bytesSent: Int64(r[10] ?? "") ?? 0,
                                   runStartedAt: Int64(r[11] ?? "") ?? 0)
        }
    }
}
