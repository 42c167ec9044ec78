import FlowlineCore

/// Accumulates the kinds of value seen per key over the first objects of a file and turns
/// them into a schema: keys in first-seen order, the narrowest type that holds every value.
struct JSONSchemaInference {
    private struct Kinds {
        var int = false, double = false, bool = false, text = false
    }

    private var order: [String] = []
    private var kinds: [String: Kinds] = [:]

    enum Kind { case null, int, double, bool, text }

    mutating func observe(key: String, kind: Kind) {
        if kinds[key] == nil {
            order.append(key)
            kinds[key] = Kinds()
        }
        switch kind {
        case .null: break
        case .int: kinds[key]!.int = true
        case .double: kinds[key]!.double = true
        case .bool: kinds[key]!.bool = true
        case .text: kinds[key]!.text = true
        }
    }

    /// Integers only → int; any fraction or exponent → double; booleans only → bool; strings,
    /// nested values, mixes of booleans and numbers, and keys only ever null → string.
    var schema: Schema {
        Schema(order.map { key in
            let k = kinds[key]!
            let type: FieldType
            if k.text || (k.bool && (k.int || k.double)) {
                type = .string
            } else if k.bool {
                type = .bool
            } else if k.double {
                type = .double
            } else if k.int {
                type = .int
            } else {
                type = .string
            }
            return Field(name: key, type: type)
        })
    }
}
