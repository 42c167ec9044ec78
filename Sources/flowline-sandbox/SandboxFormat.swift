import Foundation

/// Text forms of sandbox values as each emulated service writes them.
enum SandboxFormat {
    enum TimeStyle { case salesforce, iso, serviceNow }

    static func civil(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(yoe + era * 400 + (m <= 2 ? 1 : 0)), Int(m), Int(d))
    }

    static func days(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * Int64((m + 9) % 12) + 2) / 5 + Int64(d) - 1
        return era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
    }

    static func date(_ days: Int64) -> String {
        let (y, m, d) = civil(days)
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    static func time(_ millis: Int64, _ style: TimeStyle) -> String {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let rem = millis - days * 86_400_000
        let s = rem / 1000
        let hms = String(format: "%02d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        switch style {
        case .salesforce: return date(days) + "T" + hms + String(format: ".%03d+0000", rem % 1000)
        case .iso: return date(days) + "T" + hms + "Z"
        case .serviceNow: return date(days) + " " + hms
        }
    }

    /// Milliseconds from `YYYY-MM-DD`, `YYYY-MM-DD[T ]hh:mm:ss[.fff][Z|+hh:mm|+hhmm]`.
    static func parseISO(_ s: String) -> Int64? {
        let u = Array(s.utf8)
        func num(_ a: Int, _ n: Int) -> Int? {
            guard a + n <= u.count else { return nil }
            var v = 0
            for k in a..<(a + n) { guard (48...57).contains(u[k]) else { return nil }; v = v * 10 + Int(u[k] - 48) }
            return v
        }
        guard u.count >= 10, let y = num(0, 4), u[4] == 45, let mo = num(5, 2), u[7] == 45, let d = num(8, 2) else { return nil }
        var ms = days(y, mo, d) * 86_400_000
        if u.count == 10 { return ms }
        guard u.count >= 19, u[10] == 84 || u[10] == 32, let h = num(11, 2), let mi = num(14, 2), let se = num(17, 2) else { return nil }
        ms += Int64(h * 3600 + mi * 60 + se) * 1000
        var i = 19
        if i < u.count, u[i] == 46 {
            i += 1
            var frac = 0, n = 0
            while i < u.count, (48...57).contains(u[i]) { if n < 3 { frac = frac * 10 + Int(u[i] - 48); n += 1 }; i += 1 }
            while n < 3 { frac *= 10; n += 1 }
            ms += Int64(frac)
        }
        if i == u.count || (u[i] == 90 && i + 1 == u.count) { return ms }
        guard u[i] == 43 || u[i] == 45, let oh = num(i + 1, 2) else { return nil }
        let rest = u.count - (i + 3)
        let om = rest == 3 ? num(i + 4, 2) : rest == 2 ? num(i + 3, 2) : 0
        guard let om else { return nil }
        return ms - (u[i] == 43 ? 1 : -1) * Int64(oh * 3600 + om * 60) * 1000
    }

    /// A JSON string literal.
    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 { out += String(format: "\\u%04x", c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        out += "\""
    }

    static func json(_ v: SandboxValue, _ style: TimeStyle, into out: inout String) {
        switch v {
        case .null: out += "null"
        case .string(let s): quote(s, into: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += String(d)
        case .bool(let b): out += b ? "true" : "false"
        case .time(let t): quote(time(t, style), into: &out)
        case .date(let d): quote(date(d), into: &out)
        }
    }

    static func jsonString(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }
}

/// The same JSON forms written straight into bytes: large pages are rendered without `String`
/// formatting, so the emulator is never the slow end of a throughput benchmark.
extension SandboxFormat {
    static func append(_ s: String, into out: inout [UInt8]) { out.append(contentsOf: s.utf8) }

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(b)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(b)
            case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `n` in decimal, left-padded with zeros to `width` digits.
    static func digits(_ n: Int64, width: Int = 1, into out: inout [UInt8]) {
        var v = n
        if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            repeat { buf[count] = UInt8(48 + v % 10); v /= 10; count += 1 } while v > 0
            while count < width { buf[count] = 48; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
    }

    static func time(_ millis: Int64, _ style: TimeStyle, into out: inout [UInt8]) {
        let days = millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000
        let rem = millis - days * 86_400_000
        let (y, m, d) = civil(days)
        digits(Int64(y), width: 4, into: &out); out.append(UInt8(ascii: "-"))
        digits(Int64(m), width: 2, into: &out); out.append(UInt8(ascii: "-"))
        digits(Int64(d), width: 2, into: &out)
        out.append(style == .serviceNow ? UInt8(ascii: " ") : UInt8(ascii: "T"))
        let s = rem / 1000
        digits(s / 3600, width: 2, into: &out); out.append(UInt8(ascii: ":"))
        digits(s / 60 % 60, width: 2, into: &out); out.append(UInt8(ascii: ":"))
        digits(s % 60, width: 2, into: &out)
        switch style {
        case .salesforce:
            out.append(UInt8(ascii: "."))
            digits(rem % 1000, width: 3, into: &out)
            append("+0000", into: &out)
        case .iso: out.append(UInt8(ascii: "Z"))
        case .serviceNow: break
        }
    }

    static func json(_ v: SandboxValue, _ style: TimeStyle, into out: inout [UInt8]) {
        switch v {
        case .null: append("null", into: &out)
        case .string(let s): quote(s, into: &out)
        case .int(let i): digits(i, into: &out)
        case .double(let d): append(String(d), into: &out)
        case .bool(let b): append(b ? "true" : "false", into: &out)
        case .time(let t):
            out.append(UInt8(ascii: "\""))
            time(t, style, into: &out)
            out.append(UInt8(ascii: "\""))
        case .date(let d): quote(date(d), into: &out)
        }
    }
}
