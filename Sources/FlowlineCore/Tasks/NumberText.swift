/// One pass over a number's UTF-8 text in the grammar `ValueConversion.parseNumber` accepts:
/// `[+-]digits[.digits][e[+-]digits]` (either side of the point may be empty, not both).
///
/// It says which form the text has and, when they fit, the value of its digits, so the common
/// forms become numbers without building a `Decimal` or a `String`.
struct NumberText {
    enum Form {
        case integer
        case point
        case exponent
    }

    var form: Form
    var negative: Bool
    var leadingPlus: Bool
    /// Digits before and after the point.
    var integerDigits: Int
    var fractionDigits: Int
    /// Every digit, the point left out, as one integer; nil when there are more than 19 digits.
    var digits: UInt64?

    /// The shape of `u`, or nil when it is not a number in this grammar.
    static func read(_ u: UnsafeBufferPointer<UInt8>) -> NumberText? {
        var i = 0
        let n = u.count
        var text = NumberText(form: .integer, negative: false, leadingPlus: false, integerDigits: 0, fractionDigits: 0, digits: 0)
        if i < n, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") {
            text.negative = u[i] == UInt8(ascii: "-")
            text.leadingPlus = !text.negative
            i += 1
        }
        var value: UInt64 = 0
        var count = 0
        while i < n {
            let c = u[i]
            if c >= 48 && c <= 57 {
                if text.form == .exponent {
                    i += 1
                    continue
                }
                if text.form == .point { text.fractionDigits += 1 } else { text.integerDigits += 1 }
                count += 1
                if count <= 19 { value = value &* 10 &+ UInt64(c &- 48) }
            } else if c == UInt8(ascii: "."), text.form == .integer {
                text.form = .point
            } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E"), count > 0, text.form != .exponent {
                text.form = .exponent
                var next = i + 1
                guard next < n else { return nil }
                if u[next] == UInt8(ascii: "+") || u[next] == UInt8(ascii: "-") { next += 1 }
                guard next < n, u[next] >= 48, u[next] <= 57 else { return nil }
                i = next
            } else {
                return nil
            }
            i += 1
        }
        guard count > 0 else { return nil }
        text.digits = count <= 19 ? value : nil
        return text
    }

    /// The integer, for the integer form when it fits in 64 bits.
    var int64: Int64? {
        guard form == .integer, let digits else { return nil }
        if negative {
            if digits <= UInt64(Int64.max) { return -Int64(digits) }
            return digits == UInt64(Int64.max) + 1 ? Int64.min : nil
        }
        return digits <= UInt64(Int64.max) ? Int64(digits) : nil
    }

    /// The nearest double to `u` (what strtod, pyarrow and Python's `float` read), or nil when it is
    /// not a number in this grammar (so `nan`, `inf` and hex forms stay refused).
    static func nearestDouble(_ u: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let text = read(u) else { return nil }
        if let d = text.exactQuotient { return d }
        // Swift's parser is strtod in the C locale: correctly rounded, infinity past the range.
        return Double(String(decoding: u, as: UTF8.self))
    }

    /// Plain `digits.digits` forms whose digits and power of ten are both exact in a double: one
    /// IEEE division is then correctly rounded (Clinger's fast path), with no string built.
    private var exactQuotient: Double? {
        guard form != .exponent, let m = digits, m < (1 << 53), fractionDigits <= 22 else { return nil }
        let d = Double(m) / Self.powersOfTen[fractionDigits]
        return negative ? -d : d
    }

    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }   // no product rounds: 10^k = 2^k · 5^k and 5^22 < 2^53
        return p
    }
}
