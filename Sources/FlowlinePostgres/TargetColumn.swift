import FlowlineCore

/// A column of the destination table, with what it accepts.
public struct TargetColumn: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case integer(min: Int64, max: Int64)
        case numeric
        /// `single`: float4 (real), else float8 (double precision).
        case float(single: Bool)
        case bool
        case date
        case timestamp
        case text(maxLength: Int?)
        /// A type Flowline does not check (uuid, json, arrays, …): the value's text goes to the server as is.
        case other
    }

    public var name: String
    /// The type as PostgreSQL prints it (`bigint`, `numeric(12,2)`, `character varying(20)`).
    public var typeName: String
    public var kind: Kind
    public var notNull: Bool
    public var hasDefault: Bool

    public init(name: String, typeName: String, kind: Kind, notNull: Bool = false, hasDefault: Bool = false) {
        self.name = name
        self.typeName = typeName
        self.kind = kind
        self.notNull = notNull
        self.hasDefault = hasDefault
    }

    /// Whether COPY's binary format can carry this column's values (see `CopyBinaryEncoder`).
    var hasBinaryForm: Bool {
        if case .other = kind { return false }
        return true
    }

    /// The kind of a column from the catalog: `pg_type.typname` and `pg_attribute.atttypmod`.
    static func kind(typname: String, typmod: Int) -> Kind {
        switch typname {
        case "int2": return .integer(min: Int64(Int16.min), max: Int64(Int16.max))
        case "int4": return .integer(min: Int64(Int32.min), max: Int64(Int32.max))
        case "int8": return .integer(min: Int64.min, max: Int64.max)
        case "numeric": return .numeric
        case "float4": return .float(single: true)
        case "float8": return .float(single: false)
        case "bool": return .bool
        case "date": return .date
        case "timestamptz", "timestamp": return .timestamp
        // varchar(n) and char(n) store n + 4 in typmod; -1 means no limit.
        case "varchar", "bpchar": return .text(maxLength: typmod > 4 ? typmod - 4 : nil)
        case "text", "name", "citext": return .text(maxLength: nil)
        default: return .other
        }
    }

    /// The PostgreSQL type Flowline gives a new column for a field of the flow's output.
    public static func sqlType(for type: FieldType) -> String {
        switch type {
        case .string: return "text"
        case .decimal: return "numeric"
        case .int: return "bigint"
        case .double: return "double precision"
        case .bool: return "boolean"
        case .date: return "date"
        case .timestamp: return "timestamptz"
        }
    }
}
