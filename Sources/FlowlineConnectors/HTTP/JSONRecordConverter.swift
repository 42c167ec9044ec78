import FlowlineAPI
import FlowlineCore
import Foundation

/// Turns JSON objects into rows of a schema: members matched by name (missing ones are null),
/// values read as each field's type. Text that does not parse as the type stays text, so nothing
/// the service sent is lost.
public struct JSONRecordConverter: Sendable {
    public let schema: Schema
    let index: [String: Int]

    public init(schema: Schema) {
        self.schema = schema
        var index: [String: Int] = [:]
        for (i, f) in schema.fields.enumerated() { index[f.name] = i }
        self.index = index
    }

    public func row(_ record: JSONValue) -> [Value] {
        var row = [Value](repeating: .null, count: schema.fields.count)
        guard case .object(let members) = record else { return row }
        for member in members {
            guard let i = index[member.key] else { continue }
            row[i] = Self.value(member.value, as: schema.fields[i].type)
        }
        return row
    }

    public func batch(_ records: [JSONValue]) -> RecordBatch {
        var batch = RecordBatch(schema: schema)
        batch.rows.reserveCapacity(records.count)
        for r in records { batch.rows.append(row(r)) }
        return batch
    }

    static func value(_ json: JSONValue, as type: FieldType) -> Value {
        switch json {
        case .null: return .null
        case .bool(let b): return type == .string ? .string(b ? "true" : "false") : .bool(b)
        case .number(let n):
            switch type {
            case .int where n == n.rounded() && abs(n) < 9.0e15: return .int(Int64(n))
            case .string:
                return .string(n == n.rounded() && abs(n) < 9.0e15 ? String(Int64(n)) : String(n))
            case .timestamp where abs(n) < 1e11: return .timestamp(Int64(n * 1_000_000))
            case .timestamp: return .timestamp(Int64(n * 1_000))
            default: return .double(n)
            }
        case .string(let s):
            switch type {
            case .string: return .string(s)
            case .timestamp: return ValueFormat.parseTimestamp(Substring(s)).map(Value.timestamp) ?? .string(s)
            case .date: return ValueFormat.parseDate(Substring(s)).map(Value.date) ?? .string(s)
            case .int: return Int64(s).map(Value.int) ?? .string(s)
            case .double: return Double(s).map(Value.double) ?? .string(s)
            case .bool:
                switch s.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                default: return .string(s)
                }
            case .decimal: return Decimal(string: s, locale: Locale(identifier: "en_US_POSIX")).map(Value.decimal) ?? .string(s)
            }
        case .array, .object:
            return .string(String(decoding: json.serialized(), as: UTF8.self))
        }
    }
}
