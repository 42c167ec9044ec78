import Foundation
import FlowlineCore

/// One run's load: a transaction holding an open COPY (into the table, or into a temporary
/// staging table for keyed operations) that every batch streams into.
final class RedshiftDestinationWriter: DestinationWriter, @unchecked Sendable {
    // @unchecked: the runner calls write/commit/abort one at a time from one task; the
    // connection itself is only used on the session's queue.
    private let destination: RedshiftDestination
    private let context: WriteContext
    private let session: PostgresSession
    private let mode: RedshiftDestination.WriteMode
    private let columns: [TargetColumn]
    private let copyTarget: QualifiedName
    private let rejected: RejectedRecordFile?
    /// COPY's binary format when every column has one (cheaper on both sides), else text.
    private let binary: Bool
    private var recordNumber: Int64 = 0
    /// Run record numbers that went to the error location, ascending: maps COPY lines back to records.
    private var dropped: [Int64] = []
    /// The first record left out, for the run's message.
    private var firstRefusal: String?
    private var bytesSent: Int64 = 0
    private var finished = false
    /// Encoded rows not yet handed to the connection; sent in pieces of about `chunkBytes`.
    private var buffer: [UInt8] = []
    /// The piece the connection is sending while the next batch is encoded.
    private var inFlight: PendingWork<Void>?
    /// Bytes per record so far, to reserve a batch's buffer in one go.
    private var bytesPerRecord = 160

    /// About 1 MiB per PQputCopyData: few calls, few queue hops, memory bounded to a few pieces.
    static let chunkBytes = 1 << 20

    /// Test hook (documented in README): exit the process right after the warehouse COMMIT and
    /// before Flowline's own store records the run, to exercise crash reconciliation.
    static let exitAfterCommitVariable = "FLOWLINE_TEST_EXIT_AFTER_WAREHOUSE_COMMIT"

    private init(destination: RedshiftDestination, context: WriteContext, session: PostgresSession,
                 mode: RedshiftDestination.WriteMode, columns: [TargetColumn], copyTarget: QualifiedName) {
        self.destination = destination
        self.context = context
        self.session = session
        self.mode = mode
        self.columns = columns
        self.copyTarget = copyTarget
        binary = columns.allSatisfy(\.hasBinaryForm)
        rejected = destination.errorLocation.map {
            RejectedRecordFile(directory: $0.directory, flowName: context.flowName, executionId: context.executionId)
        }
    }

    static func open(_ destination: RedshiftDestination, context: WriteContext) async throws -> RedshiftDestinationWriter {
        let mode = try destination.writeMode(context.flowName)
        if mode.operation.usesStaging, mode.idFieldNames.isEmpty { throw RedshiftLoadError.missingKeys(mode.operation) }
        let session: PostgresSession
        do {
            session = try await PostgresSession.connect(destination.connection)
        } catch let error as PostgresError {
            throw RedshiftLoadError.cannotConnect(error)
        }
        let table = destination.table, schema = context.schema
        let stageName = "flowline_stage_" + context.executionId.filter(\.isHexDigit).prefix(12)
        let (columns, target) = try await session.run { c throws -> ([TargetColumn], QualifiedName) in
            try WarehouseMigrator.migrate(c)
            try c.execute("BEGIN")
            do {
                let layout = try TableLayout.resolve(table, schema: schema, keys: mode.idFieldNames,
                                                     operation: mode.operation, on: c)
                var target = table
                if mode.operation.usesStaging {
                    // Same column types as the table; dropped with the transaction.
                    target = QualifiedName(schema: nil, name: stageName)
                    let list = layout.columns.map { QualifiedName.quote($0.name) }.joined(separator: ", ")
                    try c.execute("CREATE TEMP TABLE \(target.quoted) ON COMMIT DROP AS SELECT \(list) FROM \(table.quoted) WITH NO DATA",
                                  operation: "create the staging table for \(table)")
                    try c.execute("ALTER TABLE \(target.quoted) ADD COLUMN \(QualifiedName.quote(MergeStatement.ordinalColumn)) bigserial",
                                  operation: "create the staging table for \(table)")
                }
                let binary = layout.columns.allSatisfy(\.hasBinaryForm)
                try c.beginCopy(table: target, columns: layout.columns.map(\.name), binary: binary)
                if binary { try c.putCopyData(CopyBinaryEncoder.header, table: target) }
                return (layout.columns, target)
            } catch {
                _ = try? c.execute("ROLLBACK")
                throw error
            }
        }
        return RedshiftDestinationWriter(destination: destination, context: context, session: session, mode: mode,
                                         columns: columns, copyTarget: target)
    }

    func write(_ batch: RecordBatch) async throws {
        let first = recordNumber + 1
        var refusals: [(index: Int, column: Int, reason: String)] = []
        let failFast = rejected == nil
        let refused = { (index: Int, column: Int, reason: String) throws in
            if failFast { throw RedshiftLoadError.badValue(record: first + Int64(index), column: self.context.schema.fields[column].name, reason: reason) }
            refusals.append((index, column, reason))
        }
        let before = buffer.count
        buffer.reserveCapacity(before + batch.count * bytesPerRecord + bytesPerRecord)
        if binary {
            var encoder = CopyBatchEncoder(CopyBinaryEncoder(), columns: columns)
            swap(&encoder.encoder.bytes, &buffer)
            defer { swap(&encoder.encoder.bytes, &buffer) }
            try encoder.append(batch, refused: refused)
        } else {
            var encoder = CopyBatchEncoder(CopyTextEncoder(), columns: columns)
            swap(&encoder.encoder.bytes, &buffer)
            defer { swap(&encoder.encoder.bytes, &buffer) }
            try encoder.append(batch, refused: refused)
        }
        recordNumber += Int64(batch.count)
        if batch.count > 0 { bytesPerRecord = max(16, (buffer.count - before) / batch.count * 9 / 8) }
        for refusal in refusals {
            let record = first + Int64(refusal.index), name = context.schema.fields[refusal.column].name
            try rejected?.append(record: record, column: name, reason: refusal.reason,
                                 fields: context.schema.names, values: batch.record(at: refusal.index))
            dropped.append(record)
            if firstRefusal == nil { firstRefusal = "record \(record), column \(name): \(refusal.reason)" }
        }
        if buffer.count >= Self.chunkBytes { try await send() }
    }

    /// Hands the buffer to the connection once the previous piece has gone: at most one piece in
    /// flight, so memory stays bounded whatever the server's pace.
    private func send() async throws {
        try await awaitInFlight()
        guard !buffer.isEmpty else { return }
        var bytes: [UInt8] = []
        swap(&bytes, &buffer)
        bytesSent += Int64(bytes.count)
        let target = copyTarget, piece = bytes
        inFlight = session.submit { c in try c.putCopyData(piece, table: target) }
    }

    private func awaitInFlight() async throws {
        guard let pending = inFlight else { return }
        inFlight = nil
        do {
            try await pending.value
        } catch let error as PostgresError {
            throw refusal(error)
        }
    }

    /// The server's refusal of COPY data, located by record and column from its CONTEXT line.
    private func refusal(_ error: PostgresError) -> RedshiftLoadError {
        let place = CopyErrorContext(error.context)
        let record = place.map { recordOf(copyLine: Int64($0.line)) }
        let column = place?.column.flatMap { col in columns.firstIndex { $0.name == col } }.map { context.schema.fields[$0].name }
            ?? place?.column
        return .copyRefused(table: destination.table.description, record: record, column: column, cause: error)
    }

    func commit() async throws -> WriteSummary {
        let target = copyTarget, table = destination.table, binary = self.binary
        let copied: Int64
        do {
            try await send()
            copied = try await session.run { c in
                if binary { try c.putCopyData(CopyBinaryEncoder.trailer, table: target) }
                return try c.endCopy(failure: nil, table: target)
            }
        } catch let error as PostgresError {
            await abort()
            throw refusal(error)
        } catch {
            await abort()
            throw error
        }
        let merge = mode.operation.usesStaging
            ? MergeStatement(target: table, stage: target, columns: columns.map(\.name), keys: keyColumns, operation: mode.operation)
            : nil
        let entry = LoadLedgerEntry(executionId: context.executionId, targetTable: table.description, flowName: context.flowName,
                                    writeOperation: mode.operation.rawValue, window: context.window, recordsCopied: copied,
                                    recordsAffected: copied, recordsRejected: rejected?.count ?? 0, bytesSent: bytesSent,
                                    runStartedAt: context.startedAt)
        let affected: Int64
        do {
            affected = try await session.run { c in
                var entry = entry
                if let merge {
                    entry.recordsAffected = try c.query(merge.sql, operation: "\(merge.operation.rawValue) into \(table)").affectedRows
                }
                try LoadLedger.insert(entry, on: c)
                try c.execute("COMMIT")
                return entry.recordsAffected
            }
        } catch {
            await abort()
            throw error
        }
        finished = true
        let rejectedPath = try rejected?.commit()
        if ProcessInfo.processInfo.environment[Self.exitAfterCommitVariable] == "1" {
            FileHandle.standardError.write(Data("flowline: \(Self.exitAfterCommitVariable) set; exiting after the warehouse commit\n".utf8))
            _exit(75)
        }
        var locations = [destination.locationURI]
        if rejectedPath != nil, let location = destination.errorLocation {
            let uri = "\(location.uri)/\(context.flowName)/\(context.executionId)/rejected-records.jsonl"
            locations.append(uri)
            destination.rejections.add(rejected?.count ?? 0, note: "\(rejected?.count ?? 0) record(s) were refused by \(table) and written to \(uri); first: \(firstRefusal ?? "")")
        }
        _ = affected
        return WriteSummary(recordsWritten: copied, bytesWritten: bytesSent, locations: locations)
    }

    func abort() async {
        guard !finished else { return }
        finished = true
        rejected?.discard()
        // Work already queued runs first (the queue is serial); its outcome no longer matters.
        inFlight = nil
        buffer = []
        let target = copyTarget
        _ = try? await session.run { c in
            if c.isCopying { _ = try? c.endCopy(failure: "the Flowline run was stopped", table: target) }
            if c.isInTransaction { try? c.execute("ROLLBACK") }
        }
    }

    /// The table's names of the key fields.
    private var keyColumns: [String] {
        mode.idFieldNames.compactMap { key in context.schema.index(of: key).map { columns[$0].name } }
    }

    /// The run record number of a COPY data line (records sent to the error location have no line).
    private func recordOf(copyLine line: Int64) -> Int64 {
        var record = line
        for d in dropped where d <= record { record += 1 }
        return record
    }
}
