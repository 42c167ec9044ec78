import FlowlineCore

/// Encodes batches into COPY data for the table's columns, in one format for the whole COPY.
/// A record with a value the table cannot take is left out (its bytes cut back) and reported.
/// Columnar batches are read straight from their column buffers: no `Value` or `String` per field.
struct CopyBatchEncoder<Encoder: CopyFieldEncoder> {
    var encoder: Encoder
    let columns: [TargetColumn]

    static var widestPinnedBatch: Int { 256 }

    init(_ encoder: Encoder, columns: [TargetColumn]) {
        self.encoder = encoder
        self.columns = columns
    }

    /// Appends every record of `batch`; `refused(index, column, reason)` is called for each
    /// record left out (`index` within the batch, `column` the position in `columns`).
    mutating func append(_ batch: RecordBatch, refused: (Int, Int, String) throws -> Void) rethrows {
        // Pinning nests one closure per column, so very wide tables take the row path and keep
        // the stack shallow (PostgreSQL allows 1,600 columns).
        if let data = batch.columns, data.count <= Self.widestPinnedBatch {
            try append(columns: data, count: batch.count, refused: refused)
        } else {
            try append(rows: batch.rows, refused: refused)
        }
    }

    private mutating func append(rows: [[Value]], refused: (Int, Int, String) throws -> Void) rethrows {
        for (r, row) in rows.enumerated() {
            let mark = encoder.bytes.count
            encoder.beginRow(fieldCount: columns.count)
            var failure: (column: Int, reason: String)?
            for c in columns.indices {
                encoder.beginField(c)
                if let reason = encoder.append(row[c], for: columns[c]) {
                    failure = (c, reason)
                    break
                }
            }
            if let failure {
                encoder.bytes.removeSubrange(mark...)
                try refused(r, failure.column, failure.reason)
            } else {
                encoder.endRow()
            }
        }
    }

    private mutating func append(columns data: [Column], count: Int, refused: (Int, Int, String) throws -> Void) rethrows {
        let targets = columns
        var refusals: [(record: Int, column: Int, reason: String)] = []
        // Buffers pinned once per batch: the loop reads plain pointers, never a `Column` or an array.
        // Refusals are reported after the loop, so nothing throws through the pinning closures.
        CopyColumnReader.withReaders(data, targets: targets) { readers in
            for r in 0..<count {
                let mark = encoder.bytes.count
                encoder.beginRow(fieldCount: readers.count)
                var failure: (column: Int, reason: String)?
                for c in 0..<readers.count {
                    encoder.beginField(c)
                    if encoder.appendPlain(readers[c], at: r) { continue }
                    if let reason = encoder.append(readers[c], at: r, for: targets[c]) {
                        failure = (c, reason)
                        break
                    }
                }
                if let failure {
                    encoder.bytes.removeSubrange(mark...)
                    refusals.append((r, failure.column, failure.reason))
                } else {
                    encoder.endRow()
                }
            }
        }
        for refusal in refusals { try refused(refusal.record, refusal.column, refusal.reason) }
    }
}

extension RecordBatch {
    /// Record `i` as a row of values, whatever the batch's layout (for the error file).
    func record(at i: Int) -> [Value] {
        if let data = columns { return data.map { $0[i] } }
        return rows[i]
    }
}
