import Foundation

/// One typed field value flowing through the engine.
///
/// Decimals stay exact (Foundation `Decimal`, 38 significant digits); dates are days since
/// 1970-01-01; timestamps are instants in microseconds since the Unix epoch (UTC), which is
/// what Parquet, PostgreSQL `timestamptz` and AppFlow's epoch timestamps can all hold exactly.
public enum Value: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case decimal(Decimal)
    case string(String)
    case date(Int32)
    case timestamp(Int64)

    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The type this value naturally has; `nil` for null.
    public var fieldType: FieldType? {
        switch self {
        case .null: return nil
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .decimal: return .decimal
        case .string: return .string
        case .date: return .date
        case .timestamp: return .timestamp
        }
    }
}

extension Value {
    /// The value as text, the way CSV output and string-typed destinations show it.
    /// Null has no text form (`nil`); every writer decides how to show null.
    public var text: String? {
        switch self {
        case .null: return nil
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return Value.format(double: d)
        case .decimal(let d): return d.description
        case .string(let s): return s
        case .date(let days): return ValueFormat.dateString(days: days)
        case .timestamp(let micros): return ValueFormat.timestampString(micros: micros)
        }
    }

    static func format(double d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }
}
