import FlowlineCore

/// Checks a value against its target column and appends it to COPY text, so a value the server
/// would refuse is caught here, with its record and column, before it can abort the whole COPY.
extension CopyTextEncoder {
    /// Appends `value` converted for `column`; returns why it cannot go there (nothing appended then).
    mutating func append(_ value: Value, for column: TargetColumn) -> String? {
        if case .null = value {
            if column.notNull { return "null in a NOT NULL column" }
            appendNull()
            return nil
        }
        switch column.kind {
        case .text(let maxLength):
            let text = value.text ?? ""
            if text.utf8.contains(0) { return "text contains a NUL character, which PostgreSQL cannot store" }
            if let maxLength, text.count > maxLength { return "\(text.count) characters exceed the column's \(maxLength)" }
            appendEscaped(text)
        case .integer(let min, let max):
            guard let i = Self.integer(value), i >= min, i <= max else { return Self.refusal(value, column) }
            bytes.append(contentsOf: String(i).utf8)
        case .numeric:
            switch value {
            case .int, .decimal: appendEscaped(value.text!)
            case .double(let d) where d.isFinite: appendEscaped("\(d)")
            case .string(let s) where Self.isNumeric(s): appendEscaped(s.trimmingSpaces)
            default: return Self.refusal(value, column)
            }
        case .float:
            switch value {
            case .int, .decimal: appendEscaped(value.text!)
            case .double(let d): appendEscaped(Self.text(double: d))
            case .string(let s):
                guard let d = Self.double(s) else { return Self.refusal(value, column) }
                appendEscaped(Self.text(double: d))
            default: return Self.refusal(value, column)
            }
        case .bool:
            switch value {
            case .bool(let b): bytes.append(b ? 0x74 : 0x66)
            case .int(let i) where i == 0 || i == 1: bytes.append(i == 1 ? 0x74 : 0x66)
            case .string(let s):
                switch s.trimmingSpaces.lowercased() {
                case "t", "true", "yes", "y", "on", "1": bytes.append(0x74)
                case "f", "false", "no", "n", "off", "0": bytes.append(0x66)
                default: return Self.refusal(value, column)
                }
            default: return Self.refusal(value, column)
            }
        case .date:
            switch value {
            case .date(let d): appendEscaped(ValueFormat.dateString(days: d))
            case .string(let s):
                let t = Substring(s.trimmingSpaces)
                if let d = ValueFormat.parseDate(t) { appendEscaped(ValueFormat.dateString(days: d)) }
                else { return Self.refusal(value, column) }
            default: return Self.refusal(value, column)
            }
        case .timestamp:
            switch value {
            case .timestamp(let m): appendEscaped(ValueFormat.timestampString(micros: m))
            case .date(let d): appendEscaped(ValueFormat.timestampString(micros: Int64(d) * 86_400_000_000))
            case .string(let s):
                guard let m = ValueFormat.parseTimestamp(Substring(s.trimmingSpaces)) else { return Self.refusal(value, column) }
                appendEscaped(ValueFormat.timestampString(micros: m))
            default: return Self.refusal(value, column)
            }
        case .other:
            let text = value.text ?? ""
            if text.utf8.contains(0) { return "text contains a NUL character, which PostgreSQL cannot store" }
            appendEscaped(text)
        }
        return nil
    }

    static func refusal(_ value: Value, _ column: TargetColumn) -> String {
        var shown = value.text ?? "null"
        if shown.count > 60 { shown = String(shown.prefix(60)) + "…" }
        return "value '\(shown)' is not a valid \(column.typeName)"
    }

    static func integer(_ value: Value) -> Int64? {
        switch value {
        case .int(let i): return i
        case .double(let d): return d == d.rounded() && abs(d) < 9.2e18 ? Int64(d) : nil
        case .decimal(let d): return Int64(d.description)
        case .string(let s): return Int64(s.trimmingSpaces)
        default: return nil
        }
    }

    static func double(_ s: String) -> Double? {
        let t = s.trimmingSpaces
        switch t.lowercased() {
        case "nan": return .nan
        case "infinity", "inf", "+infinity", "+inf": return .infinity
        case "-infinity", "-inf": return -.infinity
        default:
            guard isNumeric(t) else { return nil }
            return Double(t)
        }
    }

    /// PostgreSQL's numeric input syntax: `[+-]digits[.digits][e[+-]digits]` (or `.digits`), or NaN.
    static func isNumeric(_ s: String) -> Bool {
        let u = Array(s.trimmingSpaces.utf8)
        if String(decoding: u, as: UTF8.self).lowercased() == "nan" { return true }
        var i = 0
        if i < u.count, u[i] == 0x2B || u[i] == 0x2D { i += 1 }
        var digits = 0
        while i < u.count, (0x30...0x39).contains(u[i]) { i += 1; digits += 1 }
        if i < u.count, u[i] == 0x2E {
            i += 1
            while i < u.count, (0x30...0x39).contains(u[i]) { i += 1; digits += 1 }
        }
        guard digits > 0 else { return false }
        if i < u.count, u[i] == 0x65 || u[i] == 0x45 {
            i += 1
            if i < u.count, u[i] == 0x2B || u[i] == 0x2D { i += 1 }
            var exp = 0
            while i < u.count, (0x30...0x39).contains(u[i]) { i += 1; exp += 1 }
            guard exp > 0 else { return false }
        }
        return i == u.count
    }
}

extension String {
    var trimmingSpaces: String {
        guard let first = utf8.first, let last = utf8.last, first == 0x20 || last == 0x20 else { return self }
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
