/// A number in PostgreSQL's numeric input syntax, `[+-]digits[.digits][e[+-]digits]` (or `.digits`),
/// or NaN, checked and taken apart so either COPY format can send it: the text format sends
/// `text` as it is, the binary format builds numeric's base-10000 digits from the parts.
///
/// Holds pointers into the caller's bytes: use it only while those bytes are alive.
struct NumericText {
    /// The number as written, surrounding spaces removed.
    let text: UnsafeBufferPointer<UInt8>
    let isNaN: Bool
    let negative: Bool
    /// The digits before and after the decimal point, as written.
    let integerDigits: UnsafeBufferPointer<UInt8>
    let fractionDigits: UnsafeBufferPointer<UInt8>
    let exponent: Int

    /// Nil when the bytes are not a number PostgreSQL's numeric accepts.
    init?(_ raw: UnsafeBufferPointer<UInt8>) {
        var lo = 0, hi = raw.count
        while lo < hi, raw[lo] == 0x20 { lo += 1 }
        while hi > lo, raw[hi - 1] == 0x20 { hi -= 1 }
        let u = UnsafeBufferPointer(rebasing: raw[lo..<hi])
        text = u
        if u.count == 3, u[0] | 0x20 == 0x6E, u[1] | 0x20 == 0x61, u[2] | 0x20 == 0x6E {   // nan, any case
            isNaN = true; negative = false; exponent = 0
            integerDigits = UnsafeBufferPointer(rebasing: u[0..<0]); fractionDigits = integerDigits
            return
        }
        isNaN = false
        var i = 0
        negative = i < u.count && u[i] == 0x2D
        if i < u.count, u[i] == 0x2B || u[i] == 0x2D { i += 1 }
        let intStart = i
        while i < u.count, u[i] &- 0x30 < 10 { i += 1 }
        integerDigits = UnsafeBufferPointer(rebasing: u[intStart..<i])
        var fracStart = i
        if i < u.count, u[i] == 0x2E {
            i += 1
            fracStart = i
            while i < u.count, u[i] &- 0x30 < 10 { i += 1 }
        }
        fractionDigits = UnsafeBufferPointer(rebasing: u[fracStart..<i])
        guard integerDigits.count + fractionDigits.count > 0 else { return nil }
        var exp = 0
        if i < u.count, u[i] | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < u.count, u[i] == 0x2B || u[i] == 0x2D { expNegative = u[i] == 0x2D; i += 1 }
            let expStart = i
            while i < u.count, u[i] &- 0x30 < 10 {
                // PostgreSQL refuses exponents beyond ±1000 anyway; stop counting long before overflow.
                if exp < 1_000_000 { exp = exp * 10 + Int(u[i] - 0x30) }
                i += 1
            }
            guard i > expStart else { return nil }
            if expNegative { exp = -exp }
        }
        guard i == u.count else { return nil }
        exponent = exp
    }

    /// The value in numeric's binary form: base-10000 digits, most significant first, the weight
    /// (power of 10000) of the first, and the display scale. Nil when PostgreSQL could not hold it.
    func binaryParts() -> (digits: [Int16], weight: Int, displayScale: Int)? {
        let displayScale = max(0, fractionDigits.count - exponent)
        // All significant digits in order, and the power of ten of the first one.
        var first = 0, last = integerDigits.count + fractionDigits.count
        func digit(_ k: Int) -> Int {
            Int((k < integerDigits.count ? integerDigits[k] : fractionDigits[k - integerDigits.count]) - 0x30)
        }
        while first < last, digit(first) == 0 { first += 1 }
        while last > first, digit(last - 1) == 0 { last -= 1 }
        guard abs(exponent) <= 1000, displayScale <= 0x3FFF else { return nil }
        if first == last { return ([], 0, displayScale) }   // zero
        let topPower = integerDigits.count + exponent - 1 - first
        let weight = Self.floorDiv(topPower, 4)
        let bottomPower = topPower - (last - first - 1)
        let count = weight - Self.floorDiv(bottomPower, 4) + 1
        guard count <= 4000, weight <= Int(Int16.max), weight >= Int(Int16.min) else { return nil }
        var digits = [Int16](repeating: 0, count: count)
        let scale: [Int16] = [1, 10, 100, 1000]
        for k in first..<last {
            let power = topPower - (k - first)
            let group = weight - Self.floorDiv(power, 4)
            digits[group] += Int16(digit(k)) * scale[power - Self.floorDiv(power, 4) * 4]
        }
        return (digits, weight, displayScale)
    }

    private static func floorDiv(_ a: Int, _ b: Int) -> Int {
        a >= 0 ? a / b : -((-a + b - 1) / b)
    }
}
