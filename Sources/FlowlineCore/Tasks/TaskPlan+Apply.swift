/// Running a plan on one batch: filter → build output fields → Mask/Truncate → Validate.
extension TaskPlan {
    public func apply(_ batch: RecordBatch) throws(TaskRunError) -> TaskOutput {
        let steps = try steps(for: batch.schema)
        let width = batch.schema.fields.count
        var output = TaskOutput(batch: RecordBatch(schema: outputSchema))
        output.batch.rows.reserveCapacity(batch.count)
        let fieldCount = steps.producers.count

        rows: for r in batch.rows.indices {
            let row = batch.rows[r]
            guard row.count == width else { throw .rowWidthMismatch(row: r, expected: width, actual: row.count) }
            for filter in steps.filters where !filter.criterion.matches(row[filter.source]) {
                output.filteredCount += 1
                continue rows
            }
            var out: [Value] = []
            out.reserveCapacity(fieldCount)
            for producer in steps.producers {
                switch producer {
                case .copy(let i):
                    out.append(row[i])
                case .convert(let i, let type, let label, let field):
                    guard let v = ValueConversion.convert(row[i], to: type) else {
                        output.reject(r, row, "\(label): field '\(field)' value \(Self.quote(row[i])) cannot be converted to \(type.rawValue)")
                        continue rows
                    }
                    out.append(v)
                case .merge(let slots):
                    out.append(.string(Self.merge(slots, row)))
                case .arithmetic(let op, let l, let rt, let type, let label, let fields):
                    guard let v = op.apply(row[l], row[rt], as: type) else {
                        let (bad, name) = ValueConversion.number(row[l]) == nil ? (row[l], fields.0) : (row[rt], fields.1)
                        output.reject(r, row, "\(label): field '\(name)' value \(Self.quote(bad)) is not a number")
                        continue rows
                    }
                    out.append(v)
                }
            }
            for rewrite in steps.rewrites {
                out[rewrite.output] = TextMask.rewrite(out[rewrite.output], rewrite.kind)
            }
            for check in steps.validations {
                let value: Value
                switch check.target {
                case .output(let i): value = out[i]
                case .source(let i): value = row[i]
                }
                if check.rule.holds(for: value) { continue }
                let reason = "\(check.label): field '\(check.field)' value \(Self.quote(value)) fails \(check.rule.rawValue)"
                switch check.action {
                case .dropRecord:
                    output.reject(r, row, reason)
                    continue rows
                case .terminateFlow:
                    throw .terminated(reason: "record \(r + 1) of its batch: \(reason)")
                case .noOp:
                    continue
                }
            }
            output.batch.rows.append(out)
        }
        return output
    }

    /// The steps with source indexes that fit `schema`: the compiled ones when the batch has the
    /// compile-time schema, else remapped by name once per batch (a source that honoured the
    /// projection sends only the projected fields).
    private func steps(for schema: Schema) throws(TaskRunError) -> PlanSteps {
        if schema.fields.count == sourceSchema.fields.count,
           zip(schema.fields, sourceSchema.fields).allSatisfy({ $0.name == $1.name }) {
            return steps
        }
        var map = Array(repeating: -1, count: sourceSchema.fields.count)
        for i in steps.sourceIndexes {
            let name = sourceSchema.fields[i].name
            guard let j = schema.index(of: name) else { throw .missingField(name: name) }
            map[i] = j
        }
        return steps.remapped(map)
    }

    private static func merge(_ slots: [PlanSteps.MergeSlot], _ row: [Value]) -> String {
        var text = ""
        for slot in slots {
            switch slot {
            case .literal(let s): text += s
            case .field(let i):
                // Null parts become empty text.
                if case .string(let s) = row[i] { text += s } else if let s = row[i].text { text += s }
            }
        }
        return text
    }

    /// A value for a reason: quoted and cut short, or `null`.
    static func quote(_ value: Value) -> String {
        guard let text = value.text else { return "null" }
        return text.count > 64 ? "'\(text.prefix(64))…'" : "'\(text)'"
    }
}

extension TaskOutput {
    mutating func reject(_ row: Int, _ values: [Value], _ reason: String) {
        rejected.append(RejectedRecord(location: "record \(row + 1) of its batch", values: values.map(\.text), reason: reason))
        rejectedRows.append(row)
    }
}
