import Foundation

/// One comparison filter in a typed form a source can push down (SOQL, ServiceNow queries, SQL).
/// Records that do not satisfy every criterion of a plan are left out.
public struct FilterCriterion: Sendable, Hashable {
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case lessThan = "LESS_THAN"
        case lessThanOrEqualTo = "LESS_THAN_OR_EQUAL_TO"
        case greaterThan = "GREATER_THAN"
        case greaterThanOrEqualTo = "GREATER_THAN_OR_EQUAL_TO"
        case equalTo = "EQUAL_TO"
        case notEqualTo = "NOT_EQUAL_TO"
        /// Substring match on the value's text form.
        case contains = "CONTAINS"
        /// Inclusive at both ends: `operands` is `[lower, upper]`.
        case between = "BETWEEN"
    }

    /// A source field name.
    public var field: String
    public var op: Operator
    /// The type both sides are compared as (`.string` for `CONTAINS`).
    public var dataType: FieldType
    /// Typed operands (each a value of `dataType`): one for ordered comparisons; one or more for
    /// `EQUAL_TO` (equal to any), `NOT_EQUAL_TO` (equal to none) and `CONTAINS` (contains any);
    /// two for `BETWEEN`.
    public var operands: [Value]

    public init(field: String, op: Operator, dataType: FieldType, operands: [Value]) {
        self.field = field
        self.op = op
        self.dataType = dataType
        self.operands = operands
    }

    /// Whether a record whose `field` holds `value` passes. Null never passes; nor does a value
    /// that cannot be read as `dataType` (e.g. text that is not a number under a numeric filter).
    public func matches(_ value: Value) -> Bool {
        if case .null = value { return false }
        if op == .contains {
            guard let text = value.text else { return false }
            for case .string(let needle) in operands where text.contains(needle) { return true }
            return false
        }
        guard let v = Self.normalize(value, as: dataType) else { return false }
        switch op {
        case .equalTo:
            for o in operands where Self.compare(v, o) == 0 { return true }
            return false
        case .notEqualTo:
            for o in operands {
                guard let c = Self.compare(v, o), c != 0 else { return false }
            }
            return true
        case .between:
            guard operands.count == 2, let lo = Self.compare(v, operands[0]), let hi = Self.compare(v, operands[1]) else { return false }
            return lo >= 0 && hi <= 0
        case .lessThan, .lessThanOrEqualTo, .greaterThan, .greaterThanOrEqualTo:
            guard let o = operands.first, let c = Self.compare(v, o) else { return false }
            switch op {
            case .lessThan: return c < 0
            case .lessThanOrEqualTo: return c <= 0
            case .greaterThan: return c > 0
            default: return c >= 0
            }
        case .contains:
            return false
        }
    }

    /// `value` in the comparison domain of `type`: numbers keep their own numeric case (so 3.5
    /// compares correctly under an integer filter), everything else is converted.
    static func normalize(_ value: Value, as type: FieldType) -> Value? {
        switch type {
        case .int, .double, .decimal: return ValueConversion.number(value)
        default: return ValueConversion.convert(value, to: type)
        }
    }

    /// Three-way comparison of two normalized values of one domain; nil when they cannot be compared.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return order(x, y)
        case (.string(let x), .string(let y)): return order(x, y)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.timestamp(let x), .timestamp(let y)): return order(x, y)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
        case (.decimal, _), (_, .decimal):
            guard let x = ValueConversion.decimal(a), let y = ValueConversion.decimal(b) else { return nil }
            return order(x, y)
        case (.double, _), (_, .double):
            guard let x = ValueConversion.double(a), let y = ValueConversion.double(b), !x.isNaN, !y.isNaN else { return nil }
            return order(x, y)
        default:
            return nil
        }
    }

    private static func order<T: Comparable>(_ x: T, _ y: T) -> Int {
        x < y ? -1 : (x == y ? 0 : 1)
    }
}
