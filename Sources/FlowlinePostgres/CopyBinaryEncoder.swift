/// Encodes rows in COPY's binary format: per row a 16-bit field count, per field a 32-bit length
/// (-1 for NULL) and the value in its type's binary form, all big-endian. The server then copies
/// numbers, dates and timestamps instead of parsing text, and Flowline never formats them.
///
/// Only for tables whose every column has a binary form here (`TargetColumn.hasBinaryForm`).
struct CopyBinaryEncoder: CopyFieldEncoder {
    var bytes: [UInt8] = []

    /// Sent once, before the first row: signature, flags, header extension length.
    static let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
    /// Sent once, after the last row.
    static let trailer: [UInt8] = [0xFF, 0xFF]

    /// PostgreSQL's epoch is 2000-01-01; Flowline counts from 1970-01-01.
    static let epochShiftDays: Int64 = 10_957
    static let epochShiftMicros: Int64 = 946_684_800_000_000

    init(reservingCapacity: Int = 0) {
        bytes.reserveCapacity(reservingCapacity)
    }

    mutating func beginRow(fieldCount: Int) { appendBigEndian(UInt16(fieldCount)) }
    @inline(__always)
    mutating func beginField(_ index: Int) {}
    mutating func endRow() {}

    mutating func appendNull() { appendBigEndian(UInt32.max) }   // length -1

    mutating func appendText(_ utf8: UnsafeBufferPointer<UInt8>) {
        appendBigEndian(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    mutating func appendInteger(_ value: Int64, byteWidth: Int) {
        switch byteWidth {
        case 2: appendBigEndian(UInt32(2)); appendBigEndian(UInt16(truncatingIfNeeded: value))
        case 4: appendBigEndian(UInt32(4)); appendBigEndian(UInt32(truncatingIfNeeded: value))
        default: appendBigEndian(UInt32(8)); appendBigEndian(UInt64(bitPattern: value))
        }
    }

    mutating func appendFloat(_ value: Double, single: Bool) {
        if single {
            appendBigEndian(UInt32(4)); appendBigEndian(Float(value).bitPattern)
        } else {
            appendBigEndian(UInt32(8)); appendBigEndian(value.bitPattern)
        }
    }

    mutating func appendBool(_ value: Bool) {
        appendBigEndian(UInt32(1))
        bytes.append(value ? 1 : 0)
    }

    mutating func appendDate(days: Int32) {
        appendBigEndian(UInt32(4))
        appendBigEndian(UInt32(truncatingIfNeeded: Int64(days) - Self.epochShiftDays))
    }

    mutating func appendTimestamp(micros: Int64) {
        appendBigEndian(UInt32(8))
        appendBigEndian(UInt64(bitPattern: micros &- Self.epochShiftMicros))
    }

    /// numeric's binary form: digit count, weight, sign, display scale, then base-10000 digits.
    mutating func appendNumeric(_ number: NumericText) -> String? {
        if number.isNaN {
            appendBigEndian(UInt32(8))
            appendBigEndian(UInt16(0)); appendBigEndian(UInt16(0)); appendBigEndian(UInt16(0xC000)); appendBigEndian(UInt16(0))
            return nil
        }
        guard let parts = number.binaryParts() else { return "the number is beyond PostgreSQL's numeric range" }
        appendBigEndian(UInt32(8 + 2 * parts.digits.count))
        appendBigEndian(UInt16(parts.digits.count))
        appendBigEndian(UInt16(bitPattern: Int16(parts.weight)))
        appendBigEndian(UInt16(number.negative && !parts.digits.isEmpty ? 0x4000 : 0x0000))
        appendBigEndian(UInt16(parts.displayScale))
        for digit in parts.digits { appendBigEndian(UInt16(bitPattern: digit)) }
        return nil
    }

    @inline(__always)
    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
