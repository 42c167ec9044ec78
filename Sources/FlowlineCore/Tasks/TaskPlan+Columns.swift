/// Running a plan on a columnar batch, a whole column at a time.
///
/// Only for plans that copy and convert fields (Map, Map_all, PROJECTION, Passthrough): no
/// comparison filter, Mask/Truncate, Validate, Merge or Arithmetic. The output and the rejected
/// records are exactly those of `apply`: a record whose conversion fails is rejected with the
/// reason of its first failing output field, in output order, and carries its source values.
extension TaskPlan {
    /// `apply` for a columnar batch; nil when the batch holds rows or the plan does more than copy
    /// and convert (call `apply` then).
    public func applyColumns(_ batch: RecordBatch) -> TaskOutput? {
        guard let columns = batch.columns, steps.filters.isEmpty, steps.rewrites.isEmpty, steps.validations.isEmpty,
              batch.schema.fields.count == sourceSchema.fields.count, columns.count == sourceSchema.fields.count,
              zip(batch.schema.fields, sourceSchema.fields).allSatisfy({ $0.name == $1.name }) else { return nil }
        var outputs: [Column] = []
        outputs.reserveCapacity(steps.producers.count)
        // For each record that fails a conversion: the first output field (in output order) that failed it.
        var firstFailure: [Int: Int] = [:]
        for (i, producer) in steps.producers.enumerated() {
            switch producer {
            case .copy(let s):
                outputs.append(columns[s])
            case .convert(let s, let type, _, _):
                let (column, failed) = ColumnConversion.convert(columns[s], to: type)
                outputs.append(column)
                for r in failed where firstFailure[r] == nil { firstFailure[r] = i }
            case .merge, .arithmetic:
                return nil
            }
        }
        var output = TaskOutput(batch: RecordBatch(schema: outputSchema))
        let rejectedRows = firstFailure.keys.sorted()
        for r in rejectedRows {
            guard case .convert(let s, let type, let label, let field) = steps.producers[firstFailure[r]!] else { continue }
            let row = columns.map { $0[r] }
            output.reject(r, row, "\(label): field '\(field)' value \(Self.quote(row[s])) cannot be converted to \(type.rawValue)")
        }
        output.batch = RecordBatch(schema: outputSchema, columns: outputs.map { $0.removing(rejectedRows) },
                                   count: batch.count - rejectedRows.count)
        return output
    }
}
