import Foundation

/// How decimals are stored: DECIMAL(precision, scale) as a big-endian two's complement unscaled
/// integer in a FIXED_LEN_BYTE_ARRAY just wide enough for `precision` digits.
struct ParquetDecimalLayout {
    let precision: Int
    let scale: Int
    let byteWidth: Int
    /// 10^precision: unscaled magnitudes must stay below it.
    private let limit: UInt128Parts

    init(precision: Int, scale: Int) {
        self.precision = precision
        self.scale = scale
        // Smallest n with 2^(8n-1) > 10^precision: 16 bytes for 38 digits, 8 for 18.
        byteWidth = Int(((Double(precision) * 3.321928094887362 + 1) / 8).rounded(.up))
        var tenToPrecision = UInt128Parts(hi: 0, lo: 1)
        for _ in 0..<precision { _ = tenToPrecision.multiplyBy10() }
        limit = tenToPrecision
    }

    /// Appends the value's `byteWidth` bytes, or returns why it cannot be stored exactly.
    func append(_ value: Decimal, to output: inout [UInt8]) -> String? {
        if value.isNaN { return "value is NaN" }
        guard var (magnitude, exponent, negative) = DecimalParts.split(value) else {
            return "unexpected decimal representation"
        }
        // magnitude × 10^exponent = unscaled × 10^-scale
        var shift = exponent + scale
        while shift < 0 && !magnitude.isZero {
            guard magnitude.divideBy10() == 0 else { return "it has more than \(scale) fractional digits" }
            shift += 1
        }
        while shift > 0 && !magnitude.isZero {
            let step = min(shift, 19)
            guard magnitude.multiply(by: UInt128Parts.powersOf10[step]), magnitude < limit else {
                return "it has more than \(precision - scale) integer digits"
            }
            shift -= step
        }
        guard magnitude < limit else { return "it has more than \(precision) digits" }
        if negative { magnitude.negate() }
        // The magnitude is below 10^precision, so the low `byteWidth` bytes carry it with its sign.
        var bigEndian = (magnitude.hi.bigEndian, magnitude.lo.bigEndian)
        withUnsafeBytes(of: &bigEndian) { output.append(contentsOf: $0[(16 - byteWidth)...]) }
        return nil
    }
}

/// A 128-bit unsigned integer as two words; enough arithmetic for decimal rescaling.
struct UInt128Parts: Comparable {
    var hi: UInt64
    var lo: UInt64

    var isZero: Bool { hi == 0 && lo == 0 }

    /// 10^0 ... 10^19, every power of ten that fits in 64 bits.
    static let powersOf10: [UInt64] = (0...19).map { k in (0..<k).reduce(1) { acc, _ in acc * 10 } }

    /// Multiplies by `factor`; false on overflow past 128 bits.
    mutating func multiply(by factor: UInt64) -> Bool {
        let (carry, low) = lo.multipliedFullWidth(by: factor)
        let (highOverflow, high) = hi.multipliedFullWidth(by: factor)
        let (sum, overflow) = high.addingReportingOverflow(carry)
        hi = sum
        lo = low
        return highOverflow == 0 && !overflow
    }

    /// Multiplies by 10; false on overflow past 128 bits.
    mutating func multiplyBy10() -> Bool {
        let (carry, low) = lo.multipliedFullWidth(by: 10)
        let (high, overflow) = hi.multipliedReportingOverflow(by: 10)
        let (sum, overflow2) = high.addingReportingOverflow(carry)
        hi = sum
        lo = low
        return !overflow && !overflow2
    }

    /// Divides by 10 and returns the remainder.
    mutating func divideBy10() -> UInt64 {
        let (qHi, rHi) = hi.quotientAndRemainder(dividingBy: 10)
        let (qLo, r) = UInt64(10).dividingFullWidth((rHi, lo))
        hi = qHi
        lo = qLo
        return r
    }

    /// Two's complement negation.
    mutating func negate() {
        lo = ~lo &+ 1
        hi = ~hi &+ (lo == 0 ? 1 : 0)
    }

    static func < (a: UInt128Parts, b: UInt128Parts) -> Bool {
        a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo
    }
}

/// Splits a `Decimal` into mantissa, exponent and sign.
///
/// Foundation keeps these internal, and formatting to text is slow (it divides the mantissa digit by
/// digit), so the fast path reads `Decimal`'s 20-byte storage: an exponent byte, a byte of length and
/// sign bits, two reserved bytes, eight 16-bit mantissa words. Where the length and sign bits sit
/// differs between Foundation implementations (C `NSDecimal` bitfields vs swift-foundation), so the
/// layout is picked by a self-check on known values; if none matches, the exact plain-digit
/// `description` is parsed instead.
enum DecimalParts {
    typealias Parts = (magnitude: UInt128Parts, exponent: Int, negative: Bool)

    /// Where the mantissa length and sign live in the flags byte.
    struct FlagsLayout {
        let lengthShift: UInt8
        let negativeMask: UInt8
    }

    static func split(_ value: Decimal) -> Parts? {
        if let layout = storageLayout { return fromStorage(value, layout) }
        return fromDescription(value)
    }

    static let storageLayout: FlagsLayout? = {
        guard MemoryLayout<Decimal>.size == 20 else { return nil }
        let candidates = [FlagsLayout(lengthShift: 4, negativeMask: 0x08), FlagsLayout(lengthShift: 0, negativeMask: 0x10)]
        return candidates.first { layout in
            ["-123.456", "340282366920938463463374607431768211455", "0.000001", "0", "-7e20", "-0.5"].allSatisfy { text in
                let value = Decimal(string: text)!
                guard let stored = fromStorage(value, layout), let parsed = fromDescription(value) else { return false }
                return sameValue(stored, parsed)
            }
        }
    }()

    private static func sameValue(_ x: Parts, _ y: Parts) -> Bool {
        if x.magnitude.isZero || y.magnitude.isZero { return x.magnitude.isZero && y.magnitude.isZero }
        guard x.negative == y.negative else { return false }
        var a = x, b = y
        while a.exponent > b.exponent { guard a.magnitude.multiplyBy10() else { return false }; a.exponent -= 1 }
        while b.exponent > a.exponent { guard b.magnitude.multiplyBy10() else { return false }; b.exponent -= 1 }
        return a.magnitude == b.magnitude
    }

    static func fromStorage(_ value: Decimal, _ layout: FlagsLayout) -> Parts? {
        withUnsafeBytes(of: value) { raw in
            let exponent = Int(Int8(bitPattern: raw[0]))
            let flags = raw[1]
            let length = Int((flags >> layout.lengthShift) & 0x0F)
            guard length <= 8 else { return nil }
            var magnitude = UInt128Parts(hi: 0, lo: 0)
            for k in 0..<length {
                let word = UInt64(raw.loadUnaligned(fromByteOffset: 4 + 2 * k, as: UInt16.self).littleEndian)
                if k < 4 { magnitude.lo |= word << UInt64(16 * k) } else { magnitude.hi |= word << UInt64(16 * (k - 4)) }
            }
            return (magnitude, exponent, flags & layout.negativeMask != 0)
        }
    }

    static func fromDescription(_ value: Decimal) -> Parts? {
        var magnitude = UInt128Parts(hi: 0, lo: 0)
        var exponent = 0, negative = false, inFraction = false
        for byte in value.description.utf8 {
            switch byte {
            case UInt8(ascii: "-"): negative = true
            case UInt8(ascii: "."): inFraction = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard magnitude.multiplyBy10() else { return nil }
                let (sum, overflow) = magnitude.lo.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
                magnitude.lo = sum
                if overflow { magnitude.hi &+= 1 }
                if inFraction { exponent -= 1 }
            default:
                return nil
            }
        }
        return (magnitude, exponent, negative)
    }
}
