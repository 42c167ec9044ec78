import FlowlineCore

/// Checks a value against its target column and appends it in the encoder's COPY format, so a
/// value the server would refuse is caught here, with its record and column, before it can abort
/// the whole COPY. Every method returns why the value cannot go there, nil when it was appended;
/// a refused value appends nothing.
extension CopyFieldEncoder {
    mutating func append(_ value: Value, for column: TargetColumn) -> String? {
        switch value {
        case .null:
            return appendNull(for: column)
        case .string(var s):
            return s.withUTF8 { append(text: $0, for: column, mayHoldNUL: true) }
        case .int(let i):
            return append(integer: i, for: column)
        case .double(let d):
            return append(double: d, for: column)
        case .date(let d):
            return append(days: d, for: column)
        case .timestamp(let m):
            return append(micros: m, for: column)
        case .bool(let b):
            switch column.kind {
            case .bool: appendBool(b); return nil
            case .text, .other: return appendTextForm(of: value, for: column)
            default: return Self.refusal(value, column)
            }
        case .decimal(let d):
            switch column.kind {
            case .text, .other: return appendTextForm(of: value, for: column)
            case .bool, .date, .timestamp: return Self.refusal(value, column)
            default:
                var s = d.description
                return s.withUTF8 { append(text: $0, for: column, mayHoldNUL: false) }
            }
        }
    }

    mutating func appendNull(for column: TargetColumn) -> String? {
        if column.notNull { return "null in a NOT NULL column" }
        appendNull()
        return nil
    }

    /// Text (from a string value or a text column) for any kind of column: parsed for typed ones.
    /// `mayHoldNUL` false skips the NUL check when the caller has checked the whole buffer.
    mutating func append(text utf8: UnsafeBufferPointer<UInt8>, for column: TargetColumn, mayHoldNUL: Bool) -> String? {
        switch column.kind {
        case .text(let maxLength):
            if mayHoldNUL, utf8.contains(0) { return Self.nulRefusal }
            if let maxLength, utf8.count > maxLength {
                // PostgreSQL counts characters as code points: every byte that does not continue one.
                let length = utf8.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                if length > maxLength { return "\(length) characters exceed the column's \(maxLength)" }
            }
            appendText(utf8)
        case .other:
            if mayHoldNUL, utf8.contains(0) { return Self.nulRefusal }
            appendText(utf8)
        case .integer(let min, let max):
            guard let i = TextNumber.int64(utf8), i >= min, i <= max else { return Self.refusal(text: utf8, column) }
            appendInteger(i, byteWidth: column.integerByteWidth)
        case .numeric:
            guard let number = NumericText(utf8) else { return Self.refusal(text: utf8, column) }
            return appendNumeric(number)
        case .float(let single):
            guard let d = TextNumber.double(utf8) else { return Self.refusal(text: utf8, column) }
            appendFloat(d, single: single)
        case .bool:
            guard let b = TextNumber.bool(utf8) else { return Self.refusal(text: utf8, column) }
            appendBool(b)
        case .date:
            guard let d = ValueFormat.parseDate(Substring(TextNumber.trimmed(utf8))) else { return Self.refusal(text: utf8, column) }
            appendDate(days: d)
        case .timestamp:
            guard let m = ValueFormat.parseTimestamp(Substring(TextNumber.trimmed(utf8))) else { return Self.refusal(text: utf8, column) }
            appendTimestamp(micros: m)
        }
        return nil
    }

    mutating func append(integer i: Int64, for column: TargetColumn) -> String? {
        switch column.kind {
        case .integer(let min, let max):
            guard i >= min, i <= max else { return Self.refusal(.int(i), column) }
            appendInteger(i, byteWidth: column.integerByteWidth)
        case .numeric:
            var s = String(i)
            return s.withUTF8 { appendNumeric(NumericText($0)!) }
        case .float(let single): appendFloat(Double(i), single: single)
        case .bool:
            guard i == 0 || i == 1 else { return Self.refusal(.int(i), column) }
            appendBool(i == 1)
        case .text, .other: return appendTextForm(of: .int(i), for: column)
        case .date, .timestamp: return Self.refusal(.int(i), column)
        }
        return nil
    }

    mutating func append(double d: Double, for column: TargetColumn) -> String? {
        switch column.kind {
        case .float(let single): appendFloat(d, single: single)
        case .integer(let min, let max):
            guard d == d.rounded(), abs(d) < 9.2e18, Int64(d) >= min, Int64(d) <= max else { return Self.refusal(.double(d), column) }
            appendInteger(Int64(d), byteWidth: column.integerByteWidth)
        case .numeric:
            guard d.isFinite else { return Self.refusal(.double(d), column) }
            var s = d.description
            return s.withUTF8 { appendNumeric(NumericText($0)!) }
        case .text, .other: return appendTextForm(of: .double(d), for: column)
        case .bool, .date, .timestamp: return Self.refusal(.double(d), column)
        }
        return nil
    }

    mutating func append(days: Int32, for column: TargetColumn) -> String? {
        switch column.kind {
        case .date: appendDate(days: days)
        case .timestamp: appendTimestamp(micros: Int64(days) * 86_400_000_000)
        case .text, .other: return appendTextForm(of: .date(days), for: column)
        default: return Self.refusal(.date(days), column)
        }
        return nil
    }

    mutating func append(micros: Int64, for column: TargetColumn) -> String? {
        switch column.kind {
        case .timestamp: appendTimestamp(micros: micros)
        case .text, .other: return appendTextForm(of: .timestamp(micros), for: column)
        default: return Self.refusal(.timestamp(micros), column)
        }
        return nil
    }

    /// A typed value into a text column: its text as CSV output shows it (`Value.text`).
    private mutating func appendTextForm(of value: Value, for column: TargetColumn) -> String? {
        var s = value.text ?? ""
        return s.withUTF8 { append(text: $0, for: column, mayHoldNUL: false) }
    }

    static var nulRefusal: String { "text contains a NUL character, which PostgreSQL cannot store" }

    static func refusal(_ value: Value, _ column: TargetColumn) -> String {
        var shown = value.text ?? "null"
        if shown.count > 60 { shown = String(shown.prefix(60)) + "…" }
        return "value '\(shown)' is not a valid \(column.typeName)"
    }

    static func refusal(text: UnsafeBufferPointer<UInt8>, _ column: TargetColumn) -> String {
        refusal(.string(String(decoding: text, as: UTF8.self)), column)
    }
}

extension TargetColumn {
    /// Bytes of an integer column's binary form.
    var integerByteWidth: Int {
        guard case .integer(_, let max) = kind else { return 8 }
        return max <= Int64(Int16.max) ? 2 : max <= Int64(Int32.max) ? 4 : 8
    }
}

/// Numbers and booleans read from UTF-8 text the way PostgreSQL's input functions read them.
enum TextNumber {
    /// The bytes without leading and trailing spaces, as a String (short ones need no allocation).
    static func trimmed(_ u: UnsafeBufferPointer<UInt8>) -> String {
        var lo = 0, hi = u.count
        while lo < hi, u[lo] == 0x20 { lo += 1 }
        while hi > lo, u[hi - 1] == 0x20 { hi -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: u[lo..<hi]), as: UTF8.self)
    }

    /// `[+-]digits`, surrounded by spaces or not; nil when not that or beyond Int64.
    static func int64(_ u: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0, end = u.count
        while i < end, u[i] == 0x20 { i += 1 }
        while end > i, u[end - 1] == 0x20 { end -= 1 }
        var negative = false
        if i < end, u[i] == 0x2B || u[i] == 0x2D { negative = u[i] == 0x2D; i += 1 }
        guard i < end else { return nil }
        var magnitude: UInt64 = 0
        while i < end {
            let d = u[i] &- 0x30
            guard d < 10 else { return nil }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            magnitude = sum
            i += 1
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// A float8 input: a numeric-syntax number, or NaN / Infinity / Inf with an optional sign.
    static func double(_ u: UnsafeBufferPointer<UInt8>) -> Double? {
        let t = trimmed(u)
        if let first = t.utf8.first, first &- 0x30 < 10 || first == 0x2E {   // plain digits: the usual case
            return NumericText(u) != nil ? Double(t) : nil
        }
        switch t.lowercased() {
        case "nan": return .nan
        case "infinity", "inf", "+infinity", "+inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default:
            guard NumericText(u) != nil else { return nil }
            return Double(t)
        }
    }

    static func bool(_ u: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch trimmed(u).lowercased() {
        case "t", "true", "yes", "y", "on", "1": return true
        case "f", "false", "no", "n", "off", "0": return false
        default: return nil
        }
    }
}
