import FlowlineCore

/// Encodes rows in COPY's text format: columns separated by tab, rows ended by newline, NULL as
/// `\N`, and backslash, tab, newline and carriage return escaped with a backslash — so an empty
/// string (an empty field) and NULL stay apart, and any text survives byte for byte.
///
/// Numbers, dates and timestamps are written digit by digit into `bytes`: no `String` per value.
public struct CopyTextEncoder: CopyFieldEncoder {
    public internal(set) var bytes: [UInt8] = []

    public init(reservingCapacity: Int = 0) {
        bytes.reserveCapacity(reservingCapacity)
    }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public mutating func append(row: [Value]) {
        for (i, value) in row.enumerated() {
            if i > 0 { bytes.append(0x09) }
            append(value)
        }
        bytes.append(0x0A)
    }

    /// Appends already-converted field texts (nil is NULL).
    public mutating func append(fields: [String?]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { bytes.append(0x09) }
            if let field { appendText(field) } else { appendNull() }
        }
        bytes.append(0x0A)
    }

    /// A value as PostgreSQL's input functions read it, whatever the column.
    mutating func append(_ value: Value) {
        switch value {
        case .null: appendNull()
        case .string(let s): appendText(s)
        case .bool(let b): appendBool(b)
        case .int(let i): appendInteger(i, byteWidth: 8)
        case .double(let d): appendFloat(d, single: false)
        case .date(let d): appendDate(days: d)
        case .timestamp(let m): appendTimestamp(micros: m)
        case .decimal: appendText(value.text ?? "")
        }
    }

    // MARK: CopyFieldEncoder

    mutating func beginRow(fieldCount: Int) {}

    @inline(__always)
    mutating func beginField(_ index: Int) {
        if index > 0 { bytes.append(0x09) }
    }

    mutating func endRow() { bytes.append(0x0A) }

    mutating func appendNull() {
        bytes.append(0x5C)   // \N
        bytes.append(0x4E)
    }

    /// Copies runs of ordinary bytes at once and escapes the four special ones.
    mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>) {
        var start = 0
        for (i, b) in utf8.enumerated() where b == 0x5C || b <= 0x0D {
            let escaped: UInt8
            switch b {
            case 0x5C: escaped = 0x5C      // backslash
            case 0x0A: escaped = 0x6E      // \n
            case 0x0D: escaped = 0x72      // \r
            case 0x09: escaped = 0x74      // \t
            default: continue
            }
            if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
            bytes.append(0x5C)
            bytes.append(escaped)
            start = i + 1
        }
        if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
    }

    mutating func appendInteger(_ value: Int64, byteWidth: Int) {
        if value < 0 { bytes.append(0x2D) }
        appendDigits(value.magnitude, minimumWidth: 1)
    }

    mutating func appendFloat(_ value: Double, single: Bool) {
        if value.isNaN { appendASCII("NaN") }
        else if value.isInfinite { appendASCII(value < 0 ? "-Infinity" : "Infinity") }
        else if single { appendASCII(Float(value).description) }
        // Swift's shortest digits that read back as the same double, as PostgreSQL 12+ prints them.
        else { appendASCII(value.description) }
    }

    mutating func appendBool(_ value: Bool) { bytes.append(value ? 0x74 : 0x66) }   // t / f

    /// `YYYY-MM-DD`; years outside 1…9999 in PostgreSQL's own spelling (`YYYYY-…`, `… BC`).
    mutating func appendDate(days: Int32) {
        let (y, m, d) = ValueFormat.civil(fromDays: Int64(days))
        appendYear(y)
        bytes.append(0x2D); appendDigits(UInt64(m), minimumWidth: 2)
        bytes.append(0x2D); appendDigits(UInt64(d), minimumWidth: 2)
        if y <= 0 { appendASCII(" BC") }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.ffffff]Z`: UTC, so the session's time zone never shifts it.
    mutating func appendTimestamp(micros: Int64) {
        let days = micros >= 0 ? micros / 86_400_000_000 : -((-micros + 86_399_999_999) / 86_400_000_000)
        let rest = micros - days * 86_400_000_000
        let (y, m, d) = ValueFormat.civil(fromDays: days)
        let seconds = rest / 1_000_000, fraction = rest % 1_000_000
        appendYear(y)
        bytes.append(0x2D); appendDigits(UInt64(m), minimumWidth: 2)
        bytes.append(0x2D); appendDigits(UInt64(d), minimumWidth: 2)
        bytes.append(0x54)   // T
        appendDigits(UInt64(seconds / 3600), minimumWidth: 2)
        bytes.append(0x3A); appendDigits(UInt64(seconds / 60 % 60), minimumWidth: 2)
        bytes.append(0x3A); appendDigits(UInt64(seconds % 60), minimumWidth: 2)
        if fraction != 0 { bytes.append(0x2E); appendDigits(UInt64(fraction), minimumWidth: 6) }
        bytes.append(0x5A)   // Z
        if y <= 0 { appendASCII(" BC") }
    }

    mutating func appendNumeric(_ number: NumericText) -> String? {
        if number.isNaN { appendASCII("NaN") } else { bytes.append(contentsOf: number.text) }
        return nil
    }

    // MARK: Digits

    /// Year 0 is 1 BC, -1 is 2 BC: PostgreSQL writes the positive year and ` BC` after the value.
    private mutating func appendYear(_ year: Int) {
        appendDigits(UInt64(year > 0 ? year : 1 - year), minimumWidth: 4)
    }

    private mutating func appendDigits(_ value: UInt64, minimumWidth: Int) {
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)   // 24 bytes: enough for 20 digits
        withUnsafeMutableBytes(of: &scratch) { buffer in
            var v = value, at = buffer.count
            repeat {
                at -= 1
                buffer[at] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
            } while v != 0
            while buffer.count - at < minimumWidth {
                at -= 1
                buffer[at] = 0x30
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[at...]))
        }
    }

    private mutating func appendASCII(_ text: String) {
        appendText(text)
    }
}
