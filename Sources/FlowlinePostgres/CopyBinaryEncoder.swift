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
        case 2: appendField(UInt16(truncatingIfNeeded: value))
        case 4: appendField(UInt32(truncatingIfNeeded: value))
        default: appendField(UInt64(bitPattern: value))
        }
    }

    mutating func appendFloat(_ value: Double, single: Bool) {
        if single {
            appendField(Float(value).bitPattern)
        } else {
            appendField(value.bitPattern)
        }
    }

    mutating func appendBool(_ value: Bool) {
        appendField(UInt8(value ? 1 : 0))
    }

    mutating func appendDate(days: Int32) {
        appendField(UInt32(truncatingIfNeeded: Int64(days) - Self.epochShiftDays))
    }

    mutating func appendTimestamp(micros: Int64) {
        appendField(UInt64(bitPattern: micros &- Self.epochShiftMicros))
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

    /// A fixed-width field, its length word and its value, in one append: the per-append
    /// overhead of `[UInt8]` (uniqueness and capacity checks, a copy call) is most of the cost.
    @inline(__always)
    private mutating func appendField<T: FixedWidthInteger>(_ value: T) {
        var chunk: (UInt64, UInt64) = (0, 0)   // 16 bytes: room for 4 + 8
        withUnsafeMutableBytes(of: &chunk) { raw in
            raw.storeBytes(of: UInt32(MemoryLayout<T>.size).bigEndian, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: value.bigEndian, toByteOffset: 4, as: T.self)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[..<(4 + MemoryLayout<T>.size)]))
        }
    }

    @inline(__always)
    private mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.bigEndian) { bytes.append(contentsOf: $0) }
    }
}
