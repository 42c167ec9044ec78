/// Running a plan on one batch: filter → build output fields → Mask/Truncate → Validate.
///
/// The batch is taken over (`consuming`): when the caller hands over its last reference, records
/// are rewritten in place and kept records are compacted to the front, so a record costs no new
/// array and fields the plan copies unchanged are never touched. A caller that keeps its own
/// reference still sees its batch unchanged (copy on write).
extension TaskPlan {
    public func apply(_ batch: consuming RecordBatch) throws(TaskRunError) -> TaskOutput {
        let steps = try steps(for: batch.schema)
        let width = batch.schema.fields.count
        var rows: [[Value]] = []
        swap(&rows, &batch.rows)
        let shape = OutputShape(steps, inputWidth: width)

        if shape.isIdentity {
            for r in rows.indices where rows[r].count != width {
                throw .rowWidthMismatch(row: r, expected: width, actual: rows[r].count)
            }
            return TaskOutput(batch: RecordBatch(schema: outputSchema, rows: rows))
        }

        var output = TaskOutput(batch: RecordBatch(schema: outputSchema))
        let fieldCount = steps.producers.count
        // Values of the output fields that are not plain copies of the same input field, for the current record.
        var scratch = [Value](repeating: .null, count: fieldCount)
        var kept = 0

        rows: for r in rows.indices {
            // The record is read through `row` and only written after every check has passed, so
            // a rejected record keeps its source values. `row` ends before the write (one owner).
            do {
                let row = rows[r]
                guard row.count == width else { throw .rowWidthMismatch(row: r, expected: width, actual: row.count) }
                for filter in steps.filters where !filter.criterion.matches(row[filter.source]) {
                    output.filteredCount += 1
                    continue rows
                }
                for (i, op) in shape.computed {
                    switch op {
                    case .copy(let s):
                        scratch[i] = row[s]
                        continue
                    case .convert(let s, let type):
                        if let v = ValueConversion.convert(row[s], to: type) {
                            scratch[i] = v
                            continue
                        }
                    case .other:
                        break
                    }
                    switch steps.producers[i] {
                    case .copy(let s):
                        scratch[i] = row[s]
                    case .convert(let s, let type, let label, let field):
                        output.reject(r, row, "\(label): field '\(field)' value \(Self.quote(row[s])) cannot be converted to \(type.rawValue)")
                        continue rows
                    case .merge(let slots):
                        scratch[i] = .string(Self.merge(slots, row))
                    case .arithmetic(let op, let l, let rt, let type, let label, let fields):
                        guard let v = op.apply(row[l], row[rt], as: type) else {
                            let (bad, name) = ValueConversion.number(row[l]) == nil ? (row[l], fields.0) : (row[rt], fields.1)
                            output.reject(r, row, "\(label): field '\(name)' value \(Self.quote(bad)) is not a number")
                            continue rows
                        }
                        scratch[i] = v
                    }
                }
                for rewrite in steps.rewrites {
                    scratch[rewrite.output] = TextMask.rewrite(scratch[rewrite.output], rewrite.kind)
                }
                for check in steps.validations {
                    let value: Value
                    switch check.target {
                    case .output(let i): value = shape.isCopied[i] ? row[i] : scratch[i]
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
            }
            if fieldCount <= width {
                // Copied fields already sit where they belong; the rest move in from `scratch`.
                for (i, _) in shape.computed { swap(&rows[r][i], &scratch[i]) }
                if fieldCount < width { rows[r].removeLast(width - fieldCount) }
            } else {
                var out: [Value] = []
                out.reserveCapacity(fieldCount)
                for i in 0..<fieldCount { out.append(shape.isCopied[i] ? rows[r][i] : scratch[i]) }
                rows[r] = out
            }
            if kept != r { rows.swapAt(kept, r) }
            kept += 1
        }
        rows.removeLast(rows.count - kept)
        output.batch.rows = rows
        return output
    }

    /// Which output fields a record needs computed, given the input width.
    private struct OutputShape {
        /// The common producers without their labels, so the per-field loop copies no strings.
        enum Op {
            case copy(Int)
            case convert(Int, FieldType)
            /// Look at `PlanSteps.producers`.
            case other
        }

        /// `isCopied[i]`: output field `i` is input field `i`, unchanged (a copy no Mask/Truncate rewrites).
        var isCopied: [Bool]
        /// The output fields that are not, in order, each with how it is made.
        var computed: [(Int, Op)]
        /// Every output field is the input field at its place, and no record is filtered or checked.
        var isIdentity: Bool

        init(_ steps: PlanSteps, inputWidth: Int) {
            let rewritten = Set(steps.rewrites.map(\.output))
            let copied = steps.producers.indices.map { i in
                if case .copy(let s) = steps.producers[i], s == i, i < inputWidth, !rewritten.contains(i) { return true }
                return false
            }
            isCopied = copied
            computed = copied.indices.filter { !copied[$0] }.map { i in
                switch steps.producers[i] {
                case .copy(let s): return (i, .copy(s))
                case .convert(let s, let type, _, _): return (i, .convert(s, type))
                case .merge, .arithmetic: return (i, .other)
                }
            }
            isIdentity = computed.isEmpty && copied.count == inputWidth && steps.filters.isEmpty && steps.validations.isEmpty
        }
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
