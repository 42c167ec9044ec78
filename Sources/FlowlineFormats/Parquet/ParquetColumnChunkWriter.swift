import FlowlineCore

/// One column of the current row group: definition levels, data pages (compressed as they fill) and
/// the chunk's metadata. Finished pages wait in memory until the row group is written.
final class ParquetColumnChunkWriter {
    let schemaElement: ParquetSchemaElement
    private var encoder: any ParquetValueEncoder
    private var context: ParquetColumnContext
    private let codec: Codec
    private let zstdLevel: Int32
    private let limits: ParquetPageLimits

    private var levels: [UInt8] = []
    private var body: [UInt8] = []
    private var compressed: [UInt8] = []
    /// Page headers and compressed bodies of this row group's finished data pages.
    private var pages: [UInt8] = []
    private var uncompressedPageBytes: Int64 = 0
    private var valueCount: Int64 = 0
    private var nullCount: Int64 = 0
    private var encodings: Set<ParquetEncoding> = []

    init(layout: ParquetColumnLayout, path: String, options: ParquetWriterOptions) {
        schemaElement = layout.schemaElement
        encoder = layout.encoder
        context = ParquetColumnContext(path: path, column: layout.schemaElement.name, fieldType: layout.fieldType)
        codec = options.compression
        zstdLevel = options.zstdLevel
        limits = ParquetPageLimits(values: options.pageRows, bytes: options.pageBytes)
        levels.reserveCapacity(options.pageRows)
    }

    /// Bytes this column holds for the current row group.
    var bufferedBytes: Int { pages.count + encoder.pageValueBytes + encoder.chunkBufferedBytes }

    func append(_ cells: ParquetCells, range: Range<Int>, rowNumberBase: Int64) throws {
        context.rowNumberBase = rowNumberBase
        var r = range.lowerBound
        while r < range.upperBound {
            r = try encoder.append(cells, range: r..<range.upperBound,
                                   levels: &levels, limits: limits, context: context)
            if levels.count >= limits.values || encoder.pageValueBytes >= limits.bytes {
                try finishPage()
            }
        }
    }

    /// Writes the column chunk (dictionary page first, then data pages) and returns its metadata.
    func writeChunk(to sink: FileSink) throws -> ParquetColumnChunk {
        if !levels.isEmpty { try finishPage() }
        let finished = encoder.finishChunk()
        let chunkStart = sink.bytesWritten
        var uncompressedTotal = uncompressedPageBytes
        var dictionaryOffset: Int64? = nil
        if let dictionary = finished.dictionary {
            dictionaryOffset = chunkStart
            compressed.removeAll(keepingCapacity: true)
            try dictionary.body.withUnsafeBytes {
                try codec.compress($0, appendingTo: &compressed, zstdLevel: zstdLevel)
            }
            let header = ParquetPageHeader(kind: .dictionary(numValues: Int32(dictionary.count)),
                                           uncompressedSize: Int32(dictionary.body.count),
                                           compressedSize: Int32(compressed.count)).encoded()
            try sink.write(header)
            try sink.write(compressed)
            uncompressedTotal += Int64(header.count + dictionary.body.count)
            encodings.insert(.plain)
        }
        let dataOffset = sink.bytesWritten
        try sink.write(pages)
        let chunkEnd = sink.bytesWritten

        var encodingList = encodings.sorted { $0.rawValue < $1.rawValue }
        if !encodingList.contains(.rle) { encodingList.append(.rle) }
        let metaData = ParquetColumnMetaData(
            type: schemaElement.type!, encodings: encodingList, path: [schemaElement.name], codec: codec,
            numValues: valueCount, totalUncompressedSize: uncompressedTotal,
            totalCompressedSize: chunkEnd - chunkStart, dataPageOffset: dataOffset,
            dictionaryPageOffset: dictionaryOffset,
            statistics: ParquetStatistics(nullCount: nullCount, minValue: finished.min, maxValue: finished.max))

        pages.removeAll(keepingCapacity: true)
        uncompressedPageBytes = 0
        valueCount = 0
        nullCount = 0
        encodings = []
        return ParquetColumnChunk(fileOffset: chunkStart, metaData: metaData)
    }

    private func finishPage() throws {
        let pageValues = levels.count
        var pageNulls = 0
        for level in levels where level == 0 { pageNulls += 1 }

        // DataPage v1 body: definition levels (4-byte length + RLE/bit-packed, bit width 1), then values.
        body.removeAll(keepingCapacity: true)
        body.append(contentsOf: [0, 0, 0, 0])
        if pageNulls == 0 {
            RLEBitPackedHybridEncoder.appendRLE(value: 1, count: pageValues, bitWidth: 1, into: &body)
        } else {
            levels.withUnsafeBufferPointer { RLEBitPackedHybridEncoder.encode($0, bitWidth: 1, into: &body) }
        }
        let levelBytes = UInt32(body.count - 4)
        for k in 0..<4 { body[k] = UInt8(truncatingIfNeeded: levelBytes >> UInt32(8 * k)) }
        let encoding = encoder.finishPage(into: &body)

        compressed.removeAll(keepingCapacity: true)
        try body.withUnsafeBytes { try codec.compress($0, appendingTo: &compressed, zstdLevel: zstdLevel) }
        let header = ParquetPageHeader(kind: .data(numValues: Int32(pageValues), encoding: encoding),
                                       uncompressedSize: Int32(body.count),
                                       compressedSize: Int32(compressed.count)).encoded()
        pages.append(contentsOf: header)
        pages.append(contentsOf: compressed)

        uncompressedPageBytes += Int64(header.count + body.count)
        valueCount += Int64(pageValues)
        nullCount += Int64(pageNulls)
        encodings.insert(encoding)
        encodings.insert(.rle)
        levels.removeAll(keepingCapacity: true)
    }
}
