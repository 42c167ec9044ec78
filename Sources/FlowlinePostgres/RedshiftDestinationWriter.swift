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
    private var recordNumber: Int64 = 0
    /// Run record numbers that went to the error location, ascending: maps COPY lines back to records.
    private var dropped: [Int64] = []
    private var bytesSent: Int64 = 0
    private var finished = false

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
                try c.beginCopy(table: target, columns: layout.columns.map(\.name))
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
        var encoder = CopyTextEncoder(reservingCapacity: batch.count * 128)
        for row in batch.rows {
            recordNumber += 1
            let mark = encoder.bytes.count
            var failure: (column: Int, reason: String)?
            for (i, column) in columns.enumerated() {
                if i > 0 { encoder.bytes.append(0x09) }
                if let reason = encoder.append(row[i], for: column) {
                    failure = (i, reason)
                    break
                }
            }
            guard let failure else {
                encoder.bytes.append(0x0A)
                continue
            }
            encoder.bytes.removeSubrange(mark...)
            let name = context.schema.fields[failure.column].name
            guard let rejected else {
                throw RedshiftLoadError.badValue(record: recordNumber, column: name, reason: failure.reason)
            }
            try rejected.append(record: recordNumber, column: name, reason: failure.reason,
                                fields: context.schema.names, values: row)
            dropped.append(recordNumber)
        }
        let bytes = encoder.bytes, target = copyTarget
        bytesSent += Int64(bytes.count)
        do {
            try await session.run { c in try c.putCopyData(bytes, table: target) }
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
        let target = copyTarget, table = destination.table
        let copied: Int64
        do {
            copied = try await session.run { c in try c.endCopy(failure: nil, table: target) }
        } catch let error as PostgresError {
            await abort()
            throw refusal(error)
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
            locations.append("\(location.uri)/\(context.flowName)/\(context.executionId)/rejected-records.jsonl")
        }
        _ = affected
        return WriteSummary(recordsWritten: copied, bytesWritten: bytesSent, locations: locations)
    }

    func abort() async {
        guard !finished else { return }
        finished = true
        rejected?.discard()
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
