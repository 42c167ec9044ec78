import FlowlineCore

/// BOOLEAN values, PLAIN encoded: one bit each, least significant bit first.
struct BooleanColumnEncoder: ParquetValueEncoder {
    private var packed: [UInt8] = []
    private var bitCount = 0
    private var sawFalse = false
    private var sawTrue = false

    mutating func append(_ cells: ParquetCells, range: Range<Int>,
                levels: inout [UInt8], limits: ParquetPageLimits, context: ParquetColumnContext) throws -> Int {
        let room = max(1, min(limits.values - levels.count, (limits.bytes - pageValueBytes) * 8))
        let end = min(range.upperBound, range.lowerBound + room)
        for r in range.lowerBound..<end {
            switch cells[r] {
            case .bool(let b):
                levels.append(1)
                if bitCount & 7 == 0 { packed.append(0) }
                if b {
                    packed[packed.count - 1] |= UInt8(1) << UInt8(bitCount & 7)
                    sawTrue = true
                } else {
                    sawFalse = true
                }
                bitCount += 1
            case .null:
                levels.append(0)
            case let other:
                throw context.typeMismatch(row: r, found: other)
            }
        }
        return end
    }

    var pageValueBytes: Int { packed.count }

    var chunkBufferedBytes: Int { 0 }

    mutating func finishPage(into body: inout [UInt8]) -> ParquetEncoding {
        body.append(contentsOf: packed)
        packed.removeAll(keepingCapacity: true)
        bitCount = 0
        return .plain
    }

    mutating func finishChunk() -> (dictionary: (body: [UInt8], count: Int)?, min: [UInt8]?, max: [UInt8]?) {
        defer { sawFalse = false; sawTrue = false }
        guard sawFalse || sawTrue else { return (nil, nil, nil) }
        return (nil, [sawFalse ? 0 : 1], [sawTrue ? 1 : 0])
    }
}
