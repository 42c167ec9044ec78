import Foundation

public enum ExecutionStatus: String, Sendable, CaseIterable {
    case inProgress = "InProgress"
    case successful = "Successful"
    case error = "Error"
    case canceled = "Canceled"
    case cancelStarted = "CancelStarted"
}

/// One run of a flow.
public struct ExecutionRecord: Sendable, Equatable {
    public var executionId: String
    public var flowName: String
    public var status: ExecutionStatus
    public var startedAt: Date
    public var lastUpdatedAt: Date
    public var dataPullStartTime: Date?
    public var dataPullEndTime: Date?
    public var recordsProcessed: Int64
    public var bytesProcessed: Int64
    public var bytesWritten: Int64
    public var putFailuresCount: Int64
    public var executionMessage: String?
    /// The runner's process id and host, so a later command can tell a run whose process died.
    public var runnerProcessId: Int32?
    public var runnerHost: String?
    /// The incremental window end (microseconds since the epoch) this run pulled up to.
    public var watermark: Int64?
    /// Where a run stopped by the per-run data cap left off, so the next run can continue from there.
    public var resumeToken: String?

    public init(executionId: String, flowName: String, status: ExecutionStatus, startedAt: Date,
                lastUpdatedAt: Date, dataPullStartTime: Date? = nil, dataPullEndTime: Date? = nil,
                recordsProcessed: Int64 = 0, bytesProcessed: Int64 = 0, bytesWritten: Int64 = 0,
                putFailuresCount: Int64 = 0, executionMessage: String? = nil,
                runnerProcessId: Int32? = nil, runnerHost: String? = nil, watermark: Int64? = nil,
                resumeToken: String? = nil) {
        self.executionId = executionId
        self.flowName = flowName
        self.status = status
        self.startedAt = startedAt
        self.lastUpdatedAt = lastUpdatedAt
        self.dataPullStartTime = dataPullStartTime
        self.dataPullEndTime = dataPullEndTime
        self.recordsProcessed = recordsProcessed
        self.bytesProcessed = bytesProcessed
        self.bytesWritten = bytesWritten
        self.putFailuresCount = putFailuresCount
        self.executionMessage = executionMessage
        self.runnerProcessId = runnerProcessId
        self.runnerHost = runnerHost
        self.watermark = watermark
        self.resumeToken = resumeToken
    }
}

private let executionColumns = """
    execution_id, flow_name, status, started_at, last_updated_at, data_pull_start_time,
    data_pull_end_time, records_processed, bytes_processed, bytes_written, put_failures_count,
    execution_message, runner_pid, runner_host, watermark, resume_token
    """

extension ExecutionRecord {
    init(row: Row) throws {
        let id = try row.text("execution_id")
        guard let status = ExecutionStatus(rawValue: try row.text("status")) else {
            throw StoreError.corruptRecord(detail: "execution \(id) has an unknown status")
        }
        self.init(executionId: id, flowName: try row.text("flow_name"), status: status,
                  startedAt: try row.date("started_at"), lastUpdatedAt: try row.date("last_updated_at"),
                  dataPullStartTime: try row.optionalDate("data_pull_start_time"),
                  dataPullEndTime: try row.optionalDate("data_pull_end_time"),
                  recordsProcessed: try row.int64("records_processed"),
                  bytesProcessed: try row.int64("bytes_processed"), bytesWritten: try row.int64("bytes_written"),
                  putFailuresCount: try row.int64("put_failures_count"),
                  executionMessage: try row.optionalText("execution_message"),
                  runnerProcessId: try row.optionalInt64("runner_pid").map { Int32(truncatingIfNeeded: $0) },
                  runnerHost: try row.optionalText("runner_host"), watermark: try row.optionalInt64("watermark"),
                  resumeToken: try row.optionalText("resume_token"))
    }

    var parameters: [SQLiteValue] {
        [.text(executionId), .text(flowName), .text(status.rawValue), .timestamp(startedAt),
         .timestamp(lastUpdatedAt), .timestamp(dataPullStartTime), .timestamp(dataPullEndTime),
         .integer(recordsProcessed), .integer(bytesProcessed), .integer(bytesWritten), .integer(putFailuresCount),
         .text(executionMessage), .integer(runnerProcessId.map(Int64.init)), .text(runnerHost), .integer(watermark),
         .text(resumeToken)]
    }
}

extension ReadTransaction {
    public func execution(id: String) throws -> ExecutionRecord? {
        try query("SELECT \(executionColumns) FROM executions WHERE execution_id = ?", [.text(id)])
            .first.map(ExecutionRecord.init(row:))
    }

    /// A flow's executions, newest first (by start time, then id).
    public func listExecutions(flowName: String, maxResults: Int,
                               nextToken: String? = nil) throws -> Page<ExecutionRecord> {
        let key = try PageToken.key(from: nextToken, listing: "executions:\(flowName)", count: 2)
        let afterStart = try key.map { key -> Int64 in
            guard let micros = Int64(key[0]) else { throw StoreError.invalidNextToken }
            return micros
        }
        let limit = PageToken.limit(maxResults)
        let rows = try query("""
            SELECT \(executionColumns) FROM executions
            WHERE flow_name = ?1
              AND (?2 IS NULL OR started_at < ?2 OR (started_at = ?2 AND execution_id < ?3))
            ORDER BY started_at DESC, execution_id DESC LIMIT ?4
            """, [.text(flowName), .integer(afterStart), .text(key?[1]), .integer(Int64(limit + 1))])
        return PageToken.page(try rows.map(ExecutionRecord.init(row:)), limit: limit,
                              listing: "executions:\(flowName)") {
            [String(Timestamp.microseconds(of: $0.startedAt)), $0.executionId]
        }
    }

    /// The flow's executions that are still running (InProgress or CancelStarted), newest first.
    public func inProgressExecutions(flowName: String) throws -> [ExecutionRecord] {
        try query("""
            SELECT \(executionColumns) FROM executions
            WHERE flow_name = ? AND status IN ('InProgress', 'CancelStarted')
            ORDER BY started_at DESC, execution_id DESC
            """, [.text(flowName)]).map(ExecutionRecord.init(row:))
    }
}

extension WriteTransaction {
    /// Throws `.duplicate` for a taken id and `.notFound(.flow, …)` for an unknown flow.
    public func insertExecution(_ execution: ExecutionRecord) throws {
        guard try flow(named: execution.flowName) != nil else {
            throw StoreError.notFound(.flow, key: execution.flowName)
        }
        try insert("INSERT INTO executions (\(executionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   execution.parameters, kind: .execution, key: execution.executionId)
    }

    /// Replaces every field of the execution with this id (its flow stays).
    public func updateExecution(_ execution: ExecutionRecord) throws {
        try change("""
            UPDATE executions SET status = ?3, started_at = ?4, last_updated_at = ?5,
                data_pull_start_time = ?6, data_pull_end_time = ?7, records_processed = ?8,
                bytes_processed = ?9, bytes_written = ?10, put_failures_count = ?11,
                execution_message = ?12, runner_pid = ?13, runner_host = ?14, watermark = ?15,
                resume_token = ?16
            WHERE execution_id = ?1 AND flow_name = ?2
            """, execution.parameters, kind: .execution, key: execution.executionId)
    }
}
