import Foundation

/// Conversions between typed values that tasks need: Map's DESTINATION_DATA_TYPE, typed filter
/// operands, arithmetic operands. Every function returns nil when the value cannot be converted,
/// so the caller decides between rejecting the record and failing the comparison.
enum ValueConversion {
    static let microsPerDay: Int64 = 86_400_000_000

    /// `value` as `type`; null stays null. Strings are trimmed of surrounding whitespace first.
    static func convert(_ value: Value, to type: FieldType) -> Value? {
        if case .null = value { return .null }
        switch type {
        case .string: return value.text.map(Value.string)
        case .bool: return bool(value).map(Value.bool)
        case .int: return int(value).map(Value.int)
        case .double: return double(value).map(Value.double)
        case .decimal: return decimal(value).map(Value.decimal)
        case .date: return day(value).map(Value.date)
        case .timestamp: return instant(value).map(Value.timestamp)
        }
    }

    /// A numeric value (`.int`, `.double` or `.decimal`), parsing strings; nil for anything else.
    static func number(_ value: Value) -> Value? {
        switch value {
        case .int, .double, .decimal: return value
        case .string(let s): return parseNumber(s)
        default: return nil
        }
    }

    static func bool(_ value: Value) -> Bool? {
        switch value {
        case .bool(let b): return b
        case .int(let i): return i == 0 ? false : (i == 1 ? true : nil)
        case .string(let s):
            switch trimmed(s).lowercased() {
            case "true", "1": return true
            case "false", "0": return false
            default: return nil
            }
        default: return nil
        }
    }

    static func int(_ value: Value) -> Int64? {
        switch value {
        case .int(let i): return i
        case .double(let d): return Int64(exactly: d)
        case .decimal(let d): return Int64(d.description)
        case .string(let s):
            switch parseNumber(s) {
            case .int(let i): return i
            case .decimal(let d): return Int64(d.description)
            case .double(let d): return Int64(exactly: d)
            default: return nil
            }
        default: return nil
        }
    }

    static func double(_ value: Value) -> Double? {
        switch value {
        case .int(let i): return Double(i)
        case .double(let d): return d
        // Through the exact text, so the result is the nearest double (NSDecimalNumber's is not).
        case .decimal(let d): return Double(d.description)
        case .string(let s): return withTrimmedUTF8(s, NumberText.nearestDouble)
        default: return nil
        }
    }

    static func decimal(_ value: Value) -> Decimal? {
        switch value {
        case .int(let i): return Decimal(i)
        // Through the shortest text form, so 0.1 becomes 0.1 and not its binary expansion.
        case .double(let d): return d.isFinite ? Decimal(string: "\(d)", locale: posix) : nil
        case .decimal(let d): return d
        case .string(let s): return parseNumber(s).flatMap(decimal)
        default: return nil
        }
    }

    /// Days since the epoch: dates, timestamps (floored), ISO text, or epoch milliseconds.
    static func day(_ value: Value) -> Int32? {
        switch value {
        case .date(let d): return d
        case .timestamp(let t): return Int32(exactly: floorDiv(t, microsPerDay))
        case .int(let ms): return epochMillis(ms).flatMap { Int32(exactly: floorDiv($0, microsPerDay)) }
        case .string(let s):
            if let d = withTrimmedUTF8(s, ValueFormat.parseDate(bytes:)) { return d }
            return instant(text: trimmed(s)).flatMap { Int32(exactly: floorDiv($0, microsPerDay)) }
        default: return nil
        }
    }

    /// Microseconds since the epoch: timestamps, dates (midnight UTC), ISO text, or epoch milliseconds
    /// (what AppFlow's console sends for datetime filters).
    static func instant(_ value: Value) -> Int64? {
        switch value {
        case .timestamp(let t): return t
        case .date(let d): return Int64(d) * microsPerDay
        case .int(let ms): return epochMillis(ms)
        case .string(let s):
            if let t = withTrimmedUTF8(s, ValueFormat.parseTimestamp(bytes:)) { return t }
            return instant(text: trimmed(s))
        default: return nil
        }
    }

    static func instant(text: Substring) -> Int64? {
        if let t = ValueFormat.parseTimestamp(text) { return t }
        guard isInteger(text), let ms = Int64(text) else { return nil }
        return epochMillis(ms)
    }

    /// Parses a plain decimal number: `[+-]digits[.digits][e[+-]digits]`, surrounding spaces allowed.
    /// Integers that fit become `.int`, other plain forms `.decimal` (exact), exponent forms `.double`.
    static func parseNumber(_ s: String) -> Value? {
        guard let number = withTrimmedUTF8(s, NumberText.read) else { return nil }
        switch number.form {
        case .exponent: return Double(trimmed(s)).map(Value.double)
        case .integer: if let i = number.int64 { return .int(i) }
        case .point: break
        }
        return Decimal(string: String(trimmed(s)), locale: posix).map(Value.decimal)
    }

    static func isInteger(_ s: Substring) -> Bool {
        var u = s.utf8[...]
        if u.first == UInt8(ascii: "-") { u = u.dropFirst() }
        return !u.isEmpty && u.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    /// `s` without surrounding ASCII spaces, tabs and line breaks; works on UTF-8 so the hot path
    /// does no grapheme breaking.
    static func trimmed(_ s: String) -> Substring {
        let u = s.utf8
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        if let first = u.first, let last = u.last, !isSpace(first), !isSpace(last) { return s[...] }
        guard let first = u.firstIndex(where: { !isSpace($0) }), let last = u.lastIndex(where: { !isSpace($0) }) else {
            return s[s.endIndex...]
        }
        return s[first...last]
    }

    /// Runs `body` on the UTF-8 bytes of `trimmed(s)`, in place.
    static func withTrimmedUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }
        let trimmedBody = { (u: UnsafeBufferPointer<UInt8>) -> R in
            var start = 0, end = u.count
            while start < end, isSpace(u[start]) { start += 1 }
            while end > start, isSpace(u[end - 1]) { end -= 1 }
            return body(UnsafeBufferPointer(rebasing: u[start..<end]))
        }
        if let r = s.utf8.withContiguousStorageIfAvailable(trimmedBody) { return r }
        return ValueFormat.withUTF8(trimmed(s), body)
    }

    private static func epochMillis(_ ms: Int64) -> Int64? {
        let (r, overflow) = ms.multipliedReportingOverflow(by: 1000)
        return overflow ? nil : r
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static let posix = Locale(identifier: "en_US_POSIX")
}
