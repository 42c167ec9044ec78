/// A few thousand records sharing one schema; each row holds one value per schema field, in order.
public struct RecordBatch: Sendable {
    public var schema: Schema
    public var rows: [[Value]]

    public init(schema: Schema, rows: [[Value]] = []) {
        self.schema = schema
        self.rows = rows
    }

    public var count: Int { rows.count }
    public var isEmpty: Bool { rows.isEmpty }
}
