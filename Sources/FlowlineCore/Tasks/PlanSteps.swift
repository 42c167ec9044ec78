/// The compiled, index-based work of a plan; per row it does no name lookups.
struct PlanSteps: Sendable {
    struct Filter: Sendable {
        var source: Int
        var criterion: FilterCriterion
    }

    /// How one output field gets its value from the source row.
    enum Producer: Sendable {
        case copy(source: Int)
        case convert(source: Int, to: FieldType, label: String, field: String)
        case merge([MergeSlot])
        case arithmetic(ArithmeticOperator, lhs: Int, rhs: Int, as: FieldType, label: String, fields: (String, String))
    }

    enum MergeSlot: Sendable {
        case literal(String)
        case field(Int)
    }

    /// Mask or Truncate, rewriting an output field in place.
    struct Rewrite: Sendable {
        enum Kind: Sendable {
            case mask(MaskStyle, with: String)
            case truncate(Int)
        }
        var output: Int
        var kind: Kind
    }

    struct Validation: Sendable {
        enum Target: Sendable {
            case output(Int)
            case source(Int)
        }
        var target: Target
        var rule: ValidationRule
        var action: ValidationAction
        var label: String
        var field: String
    }

    var filters: [Filter]
    var producers: [Producer]
    var rewrites: [Rewrite]
    var validations: [Validation]

    /// The same steps reading a batch whose fields sit at `map[i]` instead of `i`.
    func remapped(_ map: [Int]) -> PlanSteps {
        var s = self
        for i in s.filters.indices { s.filters[i].source = map[s.filters[i].source] }
        s.producers = producers.map { p in
            switch p {
            case .copy(let i): return .copy(source: map[i])
            case .convert(let i, let t, let label, let field): return .convert(source: map[i], to: t, label: label, field: field)
            case .merge(let slots):
                return .merge(slots.map { slot in
                    if case .field(let i) = slot { return .field(map[i]) }
                    return slot
                })
            case .arithmetic(let op, let l, let r, let t, let label, let fields):
                return .arithmetic(op, lhs: map[l], rhs: map[r], as: t, label: label, fields: fields)
            }
        }
        for i in s.validations.indices {
            if case .source(let j) = s.validations[i].target { s.validations[i].target = .source(map[j]) }
        }
        return s
    }

    /// Source indexes any step reads.
    var sourceIndexes: Set<Int> {
        var used = Set(filters.map(\.source))
        for p in producers {
            switch p {
            case .copy(let i), .convert(let i, _, _, _): used.insert(i)
            case .merge(let slots): for case .field(let i) in slots { used.insert(i) }
            case .arithmetic(_, let l, let r, _, _, _): used.insert(l); used.insert(r)
            }
        }
        for v in validations { if case .source(let j) = v.target { used.insert(j) } }
        return used
    }
}
