/// How a run's records change the table. AppFlow's Redshift connector only appends; Flowline
/// adds keyed operations, done through a staging table and one set-based MERGE so a re-run of
/// the same window leaves the table as the first run did.
public enum WriteOperation: String, Sendable, Hashable, CaseIterable {
    /// COPY straight into the table.
    case insert = "INSERT"
    /// Update rows whose keys match, insert the others.
    case upsert = "UPSERT"
    /// Update rows whose keys match; records without a match are ignored.
    case update = "UPDATE"
    /// Delete rows whose keys match.
    case delete = "DELETE"

    var usesStaging: Bool { self != .insert }
}

/// The statement that applies a staged run to the table.
struct MergeStatement {
    let target: QualifiedName
    let stage: QualifiedName
    /// Target column names in COPY order.
    let columns: [String]
    let keys: [String]
    let operation: WriteOperation
    /// The staging table's arrival-order column, so the last record of a key wins.
    static let ordinalColumn = "__flowline_ordinal"

    var sql: String {
        let q = QualifiedName.quote
        let keyList = keys.map(q).joined(separator: ", ")
        // A key may occur several times in one run: keep its last record, as a replay would.
        let source = """
            SELECT DISTINCT ON (\(keyList)) \(columns.map(q).joined(separator: ", ")) FROM \(stage.quoted)
            ORDER BY \(keyList), \(q(Self.ordinalColumn)) DESC
            """
        let on = keys.map { "t.\(q($0)) = s.\(q($0))" }.joined(separator: " AND ")
        let others = columns.filter { !keys.contains($0) }
        let update = others.isEmpty ? "DO NOTHING"
            : "UPDATE SET " + others.map { "\(q($0)) = s.\(q($0))" }.joined(separator: ", ")
        var text = "MERGE INTO \(target.quoted) AS t USING (\(source)) AS s ON \(on)\n"
        switch operation {
        case .upsert:
            text += "WHEN MATCHED THEN \(update)\n"
            text += "WHEN NOT MATCHED THEN INSERT (\(columns.map(q).joined(separator: ", "))) VALUES (\(columns.map { "s.\(q($0))" }.joined(separator: ", ")))"
        case .update:
            text += "WHEN MATCHED THEN \(update)"
        case .delete:
            text += "WHEN MATCHED THEN DELETE"
        case .insert:
            preconditionFailure("INSERT copies straight into the table")
        }
        return text
    }
}
