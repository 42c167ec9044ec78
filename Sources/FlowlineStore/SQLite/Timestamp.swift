import Foundation

/// Conversions between `Date` and the INTEGER microseconds the store keeps.
///
/// Microseconds are exact, sort as integers and match what the engine's timestamps use.
public enum Timestamp {
    public static func microseconds(of date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
    }

    public static func date(fromMicroseconds micros: Int64) -> Date {
        Date(timeIntervalSince1970: Double(micros) / 1_000_000)
    }
}
