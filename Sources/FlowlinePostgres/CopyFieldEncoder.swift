/// What loading needs from a COPY format: rows of fields, each field already checked against its
/// column (see ValueEncoding.swift), written in that format's bytes. Two formats implement it:
/// `CopyTextEncoder` (works for every column type) and `CopyBinaryEncoder` (cheaper for both
/// Flowline and the server, for the column types it knows).
protocol CopyFieldEncoder {
    /// The encoded data so far; rows are cut back to a mark when one of their values is refused.
    var bytes: [UInt8] { get set }

    mutating func beginRow(fieldCount: Int)
    /// Called before every field of a row, `index` counting from 0.
    mutating func beginField(_ index: Int)
    mutating func endRow()

    mutating func appendNull()
    /// Well-formed UTF-8 text without NUL.
    mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>)
    /// `byteWidth` is the column's: 2, 4 or 8 (the value already fits).
    mutating func appendInteger(_ value: Int64, byteWidth: Int)
    mutating func appendFloat(_ value: Double, single: Bool)
    mutating func appendBool(_ value: Bool)
    /// Days since 1970-01-01.
    mutating func appendDate(days: Int32)
    /// Microseconds since 1970-01-01T00:00:00Z.
    mutating func appendTimestamp(micros: Int64)
    /// Text already checked by `NumericText`; returns why it cannot be sent (out of range), if so.
    mutating func appendNumeric(_ number: NumericText) -> String?
}

extension CopyFieldEncoder {
    mutating func appendText(_ string: String) {
        var s = string
        s.withUTF8 { appendText($0) }
    }
}
