/// Parquet's RLE / bit-packed hybrid encoding, used for definition levels and dictionary indices.
///
/// Runs of 8 or more equal values become RLE runs; everything else is bit-packed in groups of 8,
/// least significant bit first. Only the final bit-packed run may be padded, because a decoder
/// takes every value of a group it reads as real.
enum RLEBitPackedHybridEncoder {
    /// Appends the encoding of `values` (each < 2^bitWidth) to `output`, without a length prefix.
    static func encode<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, bitWidth: Int, into output: inout [UInt8]
    ) {
        let n = values.count
        var pendingStart = 0 // values[pendingStart..<i] wait to be bit-packed
        var i = 0
        while i < n {
            let value = values[i]
            var runEnd = i + 1
            while runEnd < n && values[runEnd] == value { runEnd += 1 }
            let run = runEnd - i
            if (i - pendingStart) % 8 == 0 && run >= 8 {
                appendBitPacked(values, pendingStart..<i, bitWidth: bitWidth, into: &output)
                appendRLE(value: UInt64(value), count: run, bitWidth: bitWidth, into: &output)
                i = runEnd
                pendingStart = i
            } else if run >= 8 {
                // Fill the pending group up to a multiple of 8, then let the rest of the run be RLE.
                i += 8 - (i - pendingStart) % 8
            } else {
                i = runEnd
            }
        }
        appendBitPacked(values, pendingStart..<n, bitWidth: bitWidth, into: &output)
    }

    /// The RLE run "`count` times `value`" alone: how an all-present definition level page is encoded.
    static func appendRLE(value: UInt64, count: Int, bitWidth: Int, into output: inout [UInt8]) {
        appendVarint(UInt64(count) << 1, into: &output)
        var v = value
        for _ in 0..<((bitWidth + 7) / 8) {
            output.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    private static func appendBitPacked<T: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<T>, _ range: Range<Int>, bitWidth: Int, into output: inout [UInt8]
    ) {
        guard !range.isEmpty else { return }
        let groups = (range.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, into: &output)
        // Holds at most 7 leftover bits plus one value of up to 32 bits, so it never overflows.
        var accumulator: UInt64 = 0
        var bits = 0
        for k in 0..<(groups * 8) {
            let index = range.lowerBound + k
            let v = index < range.upperBound ? UInt64(values[index]) : 0
            accumulator |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        if bits > 0 { output.append(UInt8(truncatingIfNeeded: accumulator)) }
    }

    static func appendVarint(_ value: UInt64, into output: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        output.append(UInt8(v))
    }

    /// Bits needed to store `maxValue`; at least 1 so every reader accepts the width.
    static func bitWidth(forMax maxValue: UInt64) -> Int {
        max(1, 64 - maxValue.leadingZeroBitCount)
    }
}
