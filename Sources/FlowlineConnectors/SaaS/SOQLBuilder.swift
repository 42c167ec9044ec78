import FlowlineCore
import Foundation

/// Builds the SOQL of a flow: the projected fields, the filters SOQL can express without losing
/// records the task plan would keep, and the incremental window.
struct SOQLBuilder {
    let object: String
    let fields: [SaaSField]
    let allFields: [SaaSField]

    func soql(filters: [FilterCriterion], window: IncrementalWindow?) -> String {
        var conditions: [String] = []
        let types = Dictionary(allFields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        for f in filters {
            guard let type = types[f.field], let c = condition(f, fieldType: type) else { continue }
            conditions.append(c)
        }
        if let window {
            // SOQL datetime literals have whole seconds; both bounds round down, so consecutive
            // windows still meet exactly and a record belongs to exactly one of them.
            conditions.append("\(window.field) >= \(Self.datetime(Self.floorSeconds(window.from)))")
            conditions.append("\(window.field) < \(Self.datetime(Self.floorSeconds(window.to)))")
        }
        var q = "SELECT \(fields.map(\.name).joined(separator: ", ")) FROM \(object)"
        if !conditions.isEmpty { q += " WHERE " + conditions.joined(separator: " AND ") }
        return q
    }

    /// A SOQL condition keeping at least every record the criterion keeps; nil when SOQL cannot
    /// say it that way (strings compare case-insensitively in SOQL, so only `=`, `IN` and `LIKE`
    /// are safe on text).
    func condition(_ f: FilterCriterion, fieldType: FieldType) -> String? {
        guard fieldType == f.dataType || (f.op == .contains && fieldType == .string) else { return nil }
        let literals = f.operands.compactMap { Self.literal($0, as: f.dataType) }
        guard literals.count == f.operands.count, !literals.isEmpty else { return nil }
        let text = f.dataType == .string
        switch f.op {
        case .equalTo:
            return literals.count == 1 ? "\(f.field) = \(literals[0])" : "\(f.field) IN (\(literals.joined(separator: ", ")))"
        case .notEqualTo:
            if text { return nil }
            return literals.count == 1 ? "\(f.field) != \(literals[0])" : "\(f.field) NOT IN (\(literals.joined(separator: ", ")))"
        case .lessThan, .lessThanOrEqualTo, .greaterThan, .greaterThanOrEqualTo:
            if text { return nil }
            let op = [FilterCriterion.Operator.lessThan: "<", .lessThanOrEqualTo: "<=", .greaterThan: ">", .greaterThanOrEqualTo: ">="][f.op]!
            return "\(f.field) \(op) \(literals[0])"
        case .between:
            guard !text, literals.count == 2 else { return nil }
            return "(\(f.field) >= \(literals[0]) AND \(f.field) <= \(literals[1]))"
        case .contains:
            let likes = f.operands.compactMap { v -> String? in
                guard case .string(let s) = v else { return nil }
                return "\(f.field) LIKE '%\(Self.escape(s, like: true))%'"
            }
            guard likes.count == f.operands.count else { return nil }
            return likes.count == 1 ? likes[0] : "(" + likes.joined(separator: " OR ") + ")"
        }
    }

    static func literal(_ v: Value, as type: FieldType) -> String? {
        switch (v, type) {
        case (.string(let s), .string): return "'\(escape(s, like: false))'"
        case (.int(let i), .int), (.int(let i), .double), (.int(let i), .decimal): return String(i)
        case (.double(let d), .double), (.double(let d), .decimal): return d.isFinite ? String(d) : nil
        case (.decimal(let d), _): return "\(d)"
        case (.bool(let b), .bool): return b ? "TRUE" : "FALSE"
        case (.date(let d), .date): return ValueFormat.dateString(days: d)
        case (.timestamp(let t), .timestamp):
            return t % 1_000_000 == 0 ? datetime(t) : nil
        default: return nil
        }
    }

    static func floorSeconds(_ micros: Int64) -> Int64 {
        let s = micros / 1_000_000 - (micros % 1_000_000 < 0 ? 1 : 0)
        return s * 1_000_000
    }

    /// `YYYY-MM-DDThh:mm:ssZ` of whole seconds.
    static func datetime(_ micros: Int64) -> String { ValueFormat.timestampString(micros: floorSeconds(micros)) }

    /// SOQL string escapes (backslash style); in LIKE patterns `%` and `_` match themselves.
    static func escape(_ s: String, like: Bool) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "%" where like: out += "\\%"
            case "_" where like: out += "\\_"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
