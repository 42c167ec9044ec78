import FlowlineCore

/// Decimals as PLAIN FIXED_LEN_BYTE_ARRAY unscaled integers (see `ParquetDecimalLayout`).
struct DecimalColumnEncoder: ParquetValueEncoder {
    private let layout: ParquetDecimalLayout
    private var bytes: [UInt8] = []

    init(layout: ParquetDecimalLayout) {
        self.layout = layout
    }

    mutating func append(_ cells: ParquetCells, range: Range<Int>,
                levels: inout [UInt8], limits: ParquetPageLimits, context: ParquetColumnContext) throws -> Int {
        let width = layout.byteWidth
        let roomByBytes = max(1, (limits.bytes - bytes.count + width - 1) / width)
        let room = max(1, min(limits.values - levels.count, roomByBytes))
        let end = min(range.upperBound, range.lowerBound + room)
        for r in range.lowerBound..<end {
            switch cells[r] {
            case .decimal(let d):
                if let reason = layout.append(d, to: &bytes) {
                    throw ParquetWriterError.decimalNotRepresentable(
                        path: context.path, column: context.column, row: context.rowNumberBase + Int64(r),
                        precision: layout.precision, scale: layout.scale, reason: reason)
                }
                levels.append(1)
            case .null:
                levels.append(0)
            case let other:
                throw context.typeMismatch(row: r, found: other)
            }
        }
        return end
    }

    var pageValueBytes: Int { bytes.count }

    var chunkBufferedBytes: Int { 0 }

    mutating func finishPage(into body: inout [UInt8]) -> ParquetEncoding {
        body.append(contentsOf: bytes)
        bytes.removeAll(keepingCapacity: true)
        return .plain
    }

    mutating func finishChunk() -> (dictionary: (body: [UInt8], count: Int)?, min: [UInt8]?, max: [UInt8]?) {
        (nil, nil, nil)
    }
}
