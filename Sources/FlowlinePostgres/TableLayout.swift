import FlowlineCore

/// How the flow's output fields land in the table: which column each field fills, found (or
/// created) before any data moves, so a mismatch is an error with nothing loaded.
struct TableLayout {
    /// The target column of each output field, in output order.
    let columns: [TargetColumn]
    let created: Bool

    /// Reads the table's columns; nil when the table does not exist.
    static func existingColumns(_ table: QualifiedName, on c: PostgresConnection) throws(PostgresError) -> [TargetColumn]? {
        let exists = try c.query("SELECT to_regclass($1) IS NOT NULL", [table.quoted], operation: "look for table \(table)")
        guard exists.text(0, 0) == "t" else { return nil }
        let result = try c.query("""
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname, a.atttypmod, a.attnotnull, a.atthasdef
            FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """, [table.quoted], operation: "read the columns of \(table)")
        return result.rows.map { r in
            TargetColumn(name: r[0] ?? "", typeName: r[1] ?? "", kind: TargetColumn.kind(typname: r[2] ?? "", typmod: Int(r[3] ?? "") ?? -1),
                         notNull: r[4] == "t", hasDefault: r[5] == "t")
        }
    }

    /// Matches `schema` onto the table, creating the table when it is missing and `mayCreate`.
    static func resolve(_ table: QualifiedName, schema: Schema, keys: [String], operation: WriteOperation,
                        on c: PostgresConnection) throws -> TableLayout {
        for key in keys where schema.index(of: key) == nil {
            throw RedshiftLoadError.unknownKey(key, table: table.description, fields: schema.names)
        }
        guard let existing = try existingColumns(table, on: c) else {
            guard operation == .insert || operation == .upsert else {
                throw RedshiftLoadError.tableMissing(table.description, operation: operation)
            }
            let definitions = schema.fields.map { "\(QualifiedName.quote($0.name)) \(TargetColumn.sqlType(for: $0.type))" }
            try c.execute("CREATE TABLE \(table.quoted) (\(definitions.joined(separator: ", ")))", operation: "create table \(table)")
            let columns = schema.fields.map {
                TargetColumn(name: $0.name, typeName: TargetColumn.sqlType(for: $0.type),
                             kind: TargetColumn.kind(typname: Self.typname($0.type), typmod: -1))
            }
            return TableLayout(columns: columns, created: true)
        }
        var matched: [TargetColumn] = [], missing: [String] = []
        for field in schema.fields {
            // Exact name first; else the one column equal ignoring case (PostgreSQL folds
            // unquoted names to lower case, so `Id` in a file usually means column `id`).
            if let column = existing.first(where: { $0.name == field.name }) {
                matched.append(column)
            } else {
                let folded = existing.filter { $0.name.lowercased() == field.name.lowercased() }
                if folded.count == 1 { matched.append(folded[0]) } else { missing.append(field.name) }
            }
        }
        if !missing.isEmpty {
            throw RedshiftLoadError.columnMismatch(table: table.description, missingColumns: missing,
                                                   tableColumns: existing.map(\.name))
        }
        if operation == .insert || operation == .upsert {
            let unfilled = existing.filter { col in col.notNull && !col.hasDefault && !matched.contains { $0.name == col.name } }
            if !unfilled.isEmpty {
                throw RedshiftLoadError.requiredColumnsUnfilled(table: table.description, columns: unfilled.map(\.name))
            }
        }
        return TableLayout(columns: matched, created: false)
    }

    private static func typname(_ type: FieldType) -> String {
        switch type {
        case .string: return "text"
        case .decimal: return "numeric"
        case .int: return "int8"
        case .double: return "float8"
        case .bool: return "bool"
        case .date: return "date"
        case .timestamp: return "timestamptz"
        }
    }
}
