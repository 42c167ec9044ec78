/// The parts of the Parquet footer and page headers this writer produces, each able to encode itself
/// in the Thrift compact protocol with the field ids of `parquet.thrift`.

struct ParquetSchemaElement {
    var name: String
    var type: ParquetPhysicalType?
    var typeLength: Int32?
    var repetition: ParquetRepetition?
    var numChildren: Int32?
    var convertedType: ParquetConvertedType?
    var scale: Int32?
    var precision: Int32?
    var logicalType: ParquetLogicalType?

    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        if let type { w.field(1, i32: type.rawValue) }
        if let typeLength { w.field(2, i32: typeLength) }
        if let repetition { w.field(3, i32: repetition.rawValue) }
        w.field(4, string: name)
        if let numChildren { w.field(5, i32: numChildren) }
        if let convertedType { w.field(6, i32: convertedType.rawValue) }
        if let scale { w.field(7, i32: scale) }
        if let precision { w.field(8, i32: precision) }
        logicalType?.write(to: &w, fieldID: 10)
        w.endStruct()
    }
}

struct ParquetStatistics {
    var nullCount: Int64
    var minValue: [UInt8]?
    var maxValue: [UInt8]?

    func write(to w: inout ThriftCompactWriter, fieldID: Int16) {
        w.beginStructField(fieldID)
        w.field(3, i64: nullCount)
        if let maxValue { w.field(5, binary: maxValue) }
        if let minValue { w.field(6, binary: minValue) }
        w.endStruct()
    }
}

struct ParquetColumnMetaData {
    var type: ParquetPhysicalType
    var encodings: [ParquetEncoding]
    var path: [String]
    var codec: Codec
    var numValues: Int64
    var totalUncompressedSize: Int64
    var totalCompressedSize: Int64
    var dataPageOffset: Int64
    var dictionaryPageOffset: Int64?
    var statistics: ParquetStatistics

    func write(to w: inout ThriftCompactWriter, fieldID: Int16) {
        w.beginStructField(fieldID)
        w.field(1, i32: type.rawValue)
        w.beginListField(2, elementType: .i32, count: encodings.count)
        for encoding in encodings { w.element(i32: encoding.rawValue) }
        w.beginListField(3, elementType: .binary, count: path.count)
        for part in path { w.element(string: part) }
        w.field(4, i32: codec.parquetCodecID)
        w.field(5, i64: numValues)
        w.field(6, i64: totalUncompressedSize)
        w.field(7, i64: totalCompressedSize)
        w.field(9, i64: dataPageOffset)
        if let dictionaryPageOffset { w.field(11, i64: dictionaryPageOffset) }
        statistics.write(to: &w, fieldID: 12)
        w.endStruct()
    }
}

struct ParquetColumnChunk {
    /// Where the chunk's first page starts.
    var fileOffset: Int64
    var metaData: ParquetColumnMetaData

    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.field(2, i64: fileOffset)
        metaData.write(to: &w, fieldID: 3)
        w.endStruct()
    }
}

struct ParquetRowGroup {
    var columns: [ParquetColumnChunk]
    var totalByteSize: Int64
    var numRows: Int64
    var fileOffset: Int64
    var totalCompressedSize: Int64
    var ordinal: Int16

    func write(to w: inout ThriftCompactWriter) {
        w.beginStruct()
        w.beginListField(1, elementType: .structure, count: columns.count)
        for column in columns { column.write(to: &w) }
        w.field(2, i64: totalByteSize)
        w.field(3, i64: numRows)
        w.field(5, i64: fileOffset)
        w.field(6, i64: totalCompressedSize)
        w.fieldI16(7, ordinal)
        w.endStruct()
    }
}

struct ParquetFileMetaData {
    var schema: [ParquetSchemaElement]
    var numRows: Int64
    var rowGroups: [ParquetRowGroup]
    var keyValueMetadata: [(key: String, value: String)]
    var createdBy: String
    var leafColumnCount: Int

    func encoded() -> [UInt8] {
        var w = ThriftCompactWriter(capacity: 1024 + rowGroups.count * leafColumnCount * 96)
        w.beginStruct()
        w.field(1, i32: 2) // format version 2: logical types and column orders
        w.beginListField(2, elementType: .structure, count: schema.count)
        for element in schema { element.write(to: &w) }
        w.field(3, i64: numRows)
        w.beginListField(4, elementType: .structure, count: rowGroups.count)
        for group in rowGroups { group.write(to: &w) }
        if !keyValueMetadata.isEmpty {
            w.beginListField(5, elementType: .structure, count: keyValueMetadata.count)
            for pair in keyValueMetadata {
                w.beginStruct()
                w.field(1, string: pair.key)
                w.field(2, string: pair.value)
                w.endStruct()
            }
        }
        w.field(6, string: createdBy)
        // One TYPE_ORDER per leaf column, so readers trust min_value/max_value statistics.
        w.beginListField(7, elementType: .structure, count: leafColumnCount)
        for _ in 0..<leafColumnCount {
            w.beginStruct()
            w.beginStructField(1); w.endStruct()
            w.endStruct()
        }
        w.endStruct()
        return w.bytes
    }
}

struct ParquetPageHeader {
    enum Kind {
        case data(numValues: Int32, encoding: ParquetEncoding)
        case dictionary(numValues: Int32)
    }

    var kind: Kind
    var uncompressedSize: Int32
    var compressedSize: Int32

    func encoded() -> [UInt8] {
        var w = ThriftCompactWriter(capacity: 48)
        w.beginStruct()
        switch kind {
        case .data(let numValues, let encoding):
            w.field(1, i32: ParquetPageType.dataPage.rawValue)
            w.field(2, i32: uncompressedSize)
            w.field(3, i32: compressedSize)
            w.beginStructField(5)
            w.field(1, i32: numValues)
            w.field(2, i32: encoding.rawValue)
            w.field(3, i32: ParquetEncoding.rle.rawValue)   // definition levels
            w.field(4, i32: ParquetEncoding.rle.rawValue)   // repetition levels (none: flat schema)
            w.endStruct()
        case .dictionary(let numValues):
            w.field(1, i32: ParquetPageType.dictionaryPage.rawValue)
            w.field(2, i32: uncompressedSize)
            w.field(3, i32: compressedSize)
            w.beginStructField(7)
            w.field(1, i32: numValues)
            w.field(2, i32: ParquetEncoding.plain.rawValue)
            w.endStruct()
        }
        w.endStruct()
        return w.bytes
    }
}
