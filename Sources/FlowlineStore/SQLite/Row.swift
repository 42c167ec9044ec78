import Foundation

/// One result row, read by column name.
///
/// Typed accessors throw `StoreError.corruptRecord` when a column holds an unexpected type,
/// so a damaged or hand-edited database surfaces as an error rather than a crash.
public struct Row: Sendable {
    let columnIndex: [String: Int]
    public let values: [SQLiteValue]

    public func value(_ column: String) throws -> SQLiteValue {
        guard let index = columnIndex[column] else {
            throw StoreError.corruptRecord(detail: "result has no column \(column)")
        }
        return values[index]
    }

    public func optionalText(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let text): return text
        default: throw StoreError.corruptRecord(detail: "column \(column) is not text")
        }
    }

    public func text(_ column: String) throws -> String {
        guard let text = try optionalText(column) else {
            throw StoreError.corruptRecord(detail: "column \(column) is null")
        }
        return text
    }

    public func optionalInt64(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let number): return number
        default: throw StoreError.corruptRecord(detail: "column \(column) is not an integer")
        }
    }

    public func int64(_ column: String) throws -> Int64 {
        guard let number = try optionalInt64(column) else {
            throw StoreError.corruptRecord(detail: "column \(column) is null")
        }
        return number
    }

    public func data(_ column: String) throws -> Data {
        switch try value(column) {
        case .blob(let data): return data
        case .text(let text): return Data(text.utf8)
        default: throw StoreError.corruptRecord(detail: "column \(column) is not a blob")
        }
    }

    public func optionalDate(_ column: String) throws -> Date? {
        try optionalInt64(column).map(Timestamp.date(fromMicroseconds:))
    }

    public func date(_ column: String) throws -> Date {
        Timestamp.date(fromMicroseconds: try int64(column))
    }
}
