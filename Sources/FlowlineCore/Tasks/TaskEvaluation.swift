import Foundation

extension ValidationRule {
    /// Whether `value` passes. Only VALIDATE_NON_NULL looks at nulls; the others let null pass,
    /// like an SQL CHECK constraint, so they can be combined with VALIDATE_NON_NULL when wanted.
    func holds(for value: Value) -> Bool {
        if case .null = value { return self != .nonNull }
        switch self {
        case .nonNull: return true
        case .numeric: return ValueConversion.number(value) != nil
        case .nonZero, .nonNegative:
            guard let n = ValueConversion.number(value) else { return false }
            let sign: Int
            switch n {
            case .int(let i): sign = Int(i.signum())
            case .double(let d): sign = d.isNaN ? -1 : (d > 0 ? 1 : (d == 0 ? 0 : -1))
            case .decimal(let d): sign = d.isZero ? 0 : (d < 0 ? -1 : 1)
            default: return false
            }
            return self == .nonZero ? sign != 0 : sign >= 0
        }
    }
}

extension ArithmeticOperator {
    /// `lhs op rhs` as `type` (double or decimal). Null operands, division by zero and overflow
    /// give null; nil means an operand is not a number (the caller rejects the record).
    func apply(_ lhs: Value, _ rhs: Value, as type: FieldType) -> Value? {
        if lhs.isNull || rhs.isNull { return .null }
        if type == .double {
            guard let x = ValueConversion.double(lhs), let y = ValueConversion.double(rhs) else { return nil }
            let r: Double
            switch self {
            case .addition: r = x + y
            case .subtraction: r = x - y
            case .multiplication: r = x * y
            case .division:
                guard y != 0 else { return .null }
                r = x / y
            }
            return r.isFinite ? .double(r) : .null
        }
        guard let x = ValueConversion.decimal(lhs), let y = ValueConversion.decimal(rhs) else { return nil }
        let r: Decimal
        switch self {
        case .addition: r = x + y
        case .subtraction: r = x - y
        case .multiplication: r = x * y
        case .division:
            guard !y.isZero else { return .null }
            r = x / y
        }
        return r.isNaN ? .null : .decimal(r)
    }
}
