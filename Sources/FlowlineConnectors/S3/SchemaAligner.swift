import FlowlineCore

/// Puts a later object's rows into the first object's schema, matching fields by name.
struct SchemaAligner {
    let target: Schema
    /// For each target field, its column in the source rows (nil: the source lacks it).
    private let columns: [Int?]
    private let identical: Bool

    init(target: Schema, source: Schema) {
        self.target = target
        columns = target.fields.map { source.index(of: $0.name) }
        identical = target.names == source.names
    }

    func align(_ batch: RecordBatch) throws -> RecordBatch {
        if identical {
            var same = batch   // columnar or rows, as it came
            same.schema = target
            return same
        }
        let rows = batch.rows.map { row in columns.map { $0.map { row[$0] } ?? .null } }
        return RecordBatch(schema: target, rows: rows)
    }
}
