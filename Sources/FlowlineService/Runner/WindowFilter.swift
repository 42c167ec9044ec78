import Foundation
import FlowlineCore

/// Keeps the records whose incremental timestamp field lies in the run's window, for sources
/// that cannot filter by time themselves.
struct WindowFilter {
    let window: IncrementalWindow
    let column: Int?

    init(window: IncrementalWindow, schema: Schema) {
        self.window = window
        column = schema.index(of: window.field)
    }

    func apply(_ batch: RecordBatch, rejected: inout [RejectedRecord]) throws -> RecordBatch {
        guard let column else { throw WindowFilterError.missingField(window.field) }
        var out = RecordBatch(schema: batch.schema)
        out.rows.reserveCapacity(batch.count)
        for (i, row) in batch.rows.enumerated() {
            guard let t = Self.instant(row[column]) else {
                rejected.append(RejectedRecord(location: "record \(i + 1) of its batch", values: row.map(\.text),
                    reason: "incremental field '\(window.field)' has no readable timestamp (\(row[column].text ?? "null"))"))
                continue
            }
            if window.contains(t) { out.rows.append(row) }
        }
        return out
    }

    /// Microseconds since the epoch from a timestamp, date, ISO string or epoch number.
    /// Bare numbers are read by size: seconds below 1e11, milliseconds below 1e14, else microseconds.
    static func instant(_ value: Value) -> Int64? {
        switch value {
        case .timestamp(let m): return m
        case .date(let d): return Int64(d) * 86_400_000_000
        case .int(let i): return fromEpochNumber(Double(i))
        case .double(let d): return fromEpochNumber(d)
        case .decimal(let d): return fromEpochNumber(NSDecimalNumber(decimal: d).doubleValue)
        case .string(let s):
            if let t = ValueFormat.parseTimestamp(Substring(s)) { return t }
            return Double(s).flatMap(fromEpochNumber)
        case .bool, .null: return nil
        }
    }

    private static func fromEpochNumber(_ n: Double) -> Int64? {
        guard n.isFinite else { return nil }
        let a = abs(n)
        if a < 1e11 { return Int64(n * 1_000_000) }
        if a < 1e14 { return Int64(n * 1_000) }
        return Int64(n)
    }
}

enum WindowFilterError: Error, CustomStringConvertible {
    case missingField(String)

    var description: String {
        switch self {
        case .missingField(let f): return "The incremental timestamp field '\(f)' is not a field of the source records"
        }
    }
}
