import Foundation

/// A value bound to a statement parameter or read from a result column.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    /// `.text`, or `.null` when `value` is nil.
    public static func text(_ value: String?) -> SQLiteValue {
        value.map { .text($0) } ?? .null
    }

    /// `.integer`, or `.null` when `value` is nil.
    public static func integer(_ value: Int64?) -> SQLiteValue {
        value.map { .integer($0) } ?? .null
    }

    /// A date as INTEGER microseconds since the Unix epoch, the store's one timestamp format.
    public static func timestamp(_ date: Date?) -> SQLiteValue {
        date.map { .integer(Timestamp.microseconds(of: $0)) } ?? .null
    }
}
