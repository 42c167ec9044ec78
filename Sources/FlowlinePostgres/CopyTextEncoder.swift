import FlowlineCore

/// Encodes rows in COPY's text format: columns separated by tab, rows ended by newline, NULL as
/// `\N`, and backslash, tab, newline and carriage return escaped with a backslash — so an empty
/// string (an empty field) and NULL stay apart, and any text survives byte for byte.
public struct CopyTextEncoder {
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
            if let field { appendEscaped(field) } else { appendNull() }
        }
        bytes.append(0x0A)
    }

    mutating func appendNull() { bytes.append(contentsOf: [0x5C, 0x4E]) }   // \N

    mutating func append(_ value: Value) {
        switch value {
        case .null: appendNull()
        case .string(let s): appendEscaped(s)
        case .bool(let b): bytes.append(b ? 0x74 : 0x66)   // t / f
        case .int(let i): bytes.append(contentsOf: String(i).utf8)
        case .double(let d): bytes.append(contentsOf: Self.text(double: d).utf8)
        default: appendEscaped(value.text ?? "")
        }
    }

    /// PostgreSQL's spelling of a double: `Infinity`, `-Infinity`, `NaN`, else Swift's shortest
    /// round-trip digits.
    static func text(double d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return "\(d)"
    }

    mutating func appendEscaped(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            for b in utf8 {
                switch b {
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)      // backslash
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)      // \n
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)      // \r
                case 0x09: bytes.append(0x5C); bytes.append(0x74)      // \t
                default: bytes.append(b)
                }
            }
        }
    }
}
