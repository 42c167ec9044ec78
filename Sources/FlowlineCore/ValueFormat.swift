import Foundation

/// Text forms of dates and timestamps (ISO 8601, UTC), and their parsing, shared by every format.
public enum ValueFormat {
    public static func dateString(days: Int32) -> String {
        let (y, m, d) = civil(fromDays: Int64(days))
        return String(format: "%04d-%02d-%02d", y, m, d)
    }

    public static func timestampString(micros: Int64) -> String {
        let days = floorDiv(micros, 86_400_000_000)
        let rem = micros - days * 86_400_000_000
        let (y, mo, d) = civil(fromDays: days)
        let secs = rem / 1_000_000, frac = rem % 1_000_000
        guard (0...9999).contains(y) else {
            let base = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, secs / 3600, (secs / 60) % 60, secs % 60)
            return frac == 0 ? base + "Z" : base + String(format: ".%06dZ", frac)
        }
        // Digits written by hand: String(format:) made this most of a CSV writer's time.
        let zero = UInt8(ascii: "0")
        return String(unsafeUninitializedCapacity: 27) { out in
            var n = 0
            func put(_ v: Int, _ width: Int) {
                var div = 1
                for _ in 1..<width { div *= 10 }
                var x = v
                while div > 0 { out[n] = zero + UInt8(x / div); x %= div; div /= 10; n += 1 }
            }
            func sep(_ c: Unicode.Scalar) { out[n] = UInt8(ascii: c); n += 1 }
            put(Int(y), 4); sep("-"); put(Int(mo), 2); sep("-"); put(Int(d), 2); sep("T")
            put(Int(secs / 3600), 2); sep(":"); put(Int((secs / 60) % 60), 2); sep(":"); put(Int(secs % 60), 2)
            if frac != 0 { sep("."); put(Int(frac), 6) }
            sep("Z")
            return n
        }
    }

    /// Parses `YYYY-MM-DD`.
    public static func parseDate(_ s: Substring) -> Int32? {
        withUTF8(s) { parseDate(bytes: $0) }
    }

    static func parseDate(bytes u: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(u, 0, 4), let m = digits(u, 5, 2), let d = digits(u, 8, 2),
              (1...12).contains(m), d >= 1, d <= daysInMonth(y, m) else { return nil }
        return Int32(days(fromCivil: y, m, d))
    }

    /// Days in month `m` of year `y` (proleptic Gregorian), so 2023-02-29 is refused, not rolled into March.
    private static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses ISO 8601 / RFC 3339 timestamps: `YYYY-MM-DD[T ]HH:MM[:SS[.ffffff]][Z|±HH[:MM]|±HHMM]`,
    /// and a bare date (midnight UTC). A timestamp without zone is taken as UTC.
    public static func parseTimestamp(_ s: Substring) -> Int64? {
        withUTF8(s) { parseTimestamp(bytes: $0) }
    }

    static func parseTimestamp(bytes u: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard u.count >= 10, let day = parseDate(bytes: UnsafeBufferPointer(rebasing: u[0..<10])) else { return nil }
        var micros = Int64(day) * 86_400_000_000
        if u.count == 10 { return micros }
        guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "), u.count >= 16,
              let hh = digits(u, 11, 2), let mm = digits(u, 14, 2), u[13] == UInt8(ascii: ":"),
              hh < 24, mm < 60 else { return nil }
        var i = 16
        var ss = 0
        if i < u.count, u[i] == UInt8(ascii: ":") {
            guard let v = digits(u, i + 1, 2), v < 61 else { return nil }
            ss = v; i += 3
        }
        var frac: Int64 = 0
        if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {
            i += 1
            var n = 0
            while i < u.count, (48...57).contains(u[i]) {
                if n < 6 { frac = frac * 10 + Int64(u[i] - 48) }
                n += 1; i += 1
            }
            guard n > 0 else { return nil }
            for _ in min(n, 6)..<6 { frac *= 10 }
        }
        micros += Int64(hh * 3600 + mm * 60 + ss) * 1_000_000 + frac
        if i == u.count { return micros }
        if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") { return i + 1 == u.count ? micros : nil }
        guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = u[i] == UInt8(ascii: "+") ? 1 : -1
        i += 1
        guard let oh = digits(u, i, 2), oh < 24 else { return nil }
        i += 2
        var om = 0
        // `+HH`, `+HHMM` or `+HH:MM`; a colon must be followed by minutes.
        if i < u.count, u[i] == UInt8(ascii: ":") { i += 1; guard i < u.count else { return nil } }
        if i < u.count { guard let v = digits(u, i, 2), v < 60 else { return nil }; om = v; i += 2 }
        guard i == u.count else { return nil }
        return micros - sign * Int64(oh * 3600 + om * 60) * 1_000_000
    }

    /// Runs `body` on the text's UTF-8 bytes in place (a copy only for the rare non-contiguous string).
    @inline(__always)
    static func withUTF8<R>(_ s: Substring, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        return Array(s.utf8).withUnsafeBufferPointer(body)
    }

    private static func digits(_ u: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= u.count else { return nil }
        var v = 0
        for k in at..<(at + n) {
            guard (48...57).contains(u[k]) else { return nil }
            v = v * 10 + Int(u[k] - 48)
        }
        return v
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    // Howard Hinnant's days-from-civil algorithm (proleptic Gregorian calendar).
    static func days(fromCivil y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = Int64(m <= 2 ? y0 - 1 : y0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((m + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(d) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); year 0 is 1 BC.
    public static func civil(fromDays z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }
}
