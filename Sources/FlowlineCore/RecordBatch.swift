/// A few thousand records sharing one schema; each row holds one value per schema field, in order.
///
/// A batch holds its records either as rows or as columns (`init(schema:columns:count:)`, the fast
/// path of the CSV reader, the task plan and the file writers). `rows` always works: on a columnar
/// batch it builds the rows once and the batch keeps them from then on, so code that only knows
/// rows sees the same values either way.
public struct RecordBatch: Sendable {
    public var schema: Schema
    private var storage: Storage

    private enum Storage: Sendable {
        case rows([[Value]])
        case columns([Column], count: Int)
    }

    public init(schema: Schema, rows: [[Value]] = []) {
        self.schema = schema
        storage = .rows(rows)
    }

    /// A columnar batch; every column has `count` records.
    public init(schema: Schema, columns: [Column], count: Int) {
        precondition(columns.allSatisfy { $0.count == count }, "every column of a batch has the same record count")
        self.schema = schema
        storage = .columns(columns, count: count)
    }

    /// The columns, when the batch is columnar; nil when it holds rows.
    public var columns: [Column]? {
        if case .columns(let c, _) = storage { return c }
        return nil
    }

    public var rows: [[Value]] {
        get {
            switch storage {
            case .rows(let r): return r
            case .columns(let c, let n): return Self.rows(of: c, count: n)
            }
        }
        set { storage = .rows(newValue) }
        _modify {
            // Moved out and back, so in-place edits (`batch.rows.append`) never copy the array.
            var r: [[Value]]
            switch storage {
            case .rows(let existing): r = existing
            case .columns(let c, let n): r = Self.rows(of: c, count: n)
            }
            storage = .rows([])
            defer { storage = .rows(r) }
            yield &r
        }
    }

    public var count: Int {
        switch storage {
        case .rows(let r): return r.count
        case .columns(_, let n): return n
        }
    }

    public var isEmpty: Bool { count == 0 }

    private static func rows(of columns: [Column], count: Int) -> [[Value]] {
        var rows: [[Value]] = []
        rows.reserveCapacity(count)
        for r in 0..<count {
            var row: [Value] = []
            row.reserveCapacity(columns.count)
            for c in columns { row.append(c[r]) }
            rows.append(row)
        }
        return rows
    }
}
