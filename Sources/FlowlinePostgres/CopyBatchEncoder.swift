import FlowlineCore

/// Encodes batches into COPY data for the table's columns, in one format for the whole COPY.
/// A record with a value the table cannot take is left out (its bytes cut back) and reported.
/// Columnar batches are read straight from their column buffers: no `Value` or `String` per field.
struct CopyBatchEncoder<Encoder: CopyFieldEncoder> {
    var encoder: Encoder
    let columns: [TargetColumn]

    init(_ encoder: Encoder, columns: [TargetColumn]) {
        self.encoder = encoder
        self.columns = columns
    }

    /// Appends every record of `batch`; `refused(index, column, reason)` is called for each
    /// record left out (`index` within the batch, `column` the position in `columns`).
    mutating func append(_ batch: RecordBatch, refused: (Int, Int, String) throws -> Void) rethrows {
        if let data = batch.columns {
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
        // One NUL check per text column instead of one per value.
        let checked = data.map { column -> Bool in
            if case .text(let bytes, _) = column.storage { return !bytes.contains(0) }
            return false
        }
        for r in 0..<count {
            let mark = encoder.bytes.count
            encoder.beginRow(fieldCount: columns.count)
            var failure: (column: Int, reason: String)?
            for c in columns.indices {
                encoder.beginField(c)
                if let reason = encoder.append(data[c], at: r, for: columns[c], textChecked: checked[c]) {
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
}

extension CopyFieldEncoder {
    /// Record `i` of a column, checked and appended for `target` (see ValueEncoding.swift).
    /// `textChecked`: the column's text bytes hold no NUL, so values need not be scanned for one.
    @inline(__always)
    mutating func append(_ column: Column, at i: Int, for target: TargetColumn, textChecked: Bool) -> String? {
        if column.isNull(i) { return appendNull(for: target) }
        switch column.storage {
        case .text(let bytes, let offsets):
            return bytes.withUnsafeBufferPointer { all in
                append(text: UnsafeBufferPointer(rebasing: all[offsets[i]..<offsets[i + 1]]), for: target, mayHoldNUL: !textChecked)
            }
        case .int(let v): return append(integer: v[i], for: target)
        case .double(let v): return append(double: v[i], for: target)
        case .date(let v): return append(days: v[i], for: target)
        case .timestamp(let v): return append(micros: v[i], for: target)
        case .values(let v): return append(v[i], for: target)
        }
    }
}

extension RecordBatch {
    /// Record `i` as a row of values, whatever the batch's layout (for the error file).
    func record(at i: Int) -> [Value] {
        if let data = columns { return data.map { $0[i] } }
        return rows[i]
    }
}
