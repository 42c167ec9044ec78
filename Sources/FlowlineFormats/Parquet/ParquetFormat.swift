/// Enum values from the Parquet format definition (`parquet.thrift`), as written on disk.
enum ParquetPhysicalType: Int32 {
    case boolean = 0, int32 = 1, int64 = 2, int96 = 3, float = 4, double = 5
    case byteArray = 6, fixedLenByteArray = 7
}

enum ParquetConvertedType: Int32 {
    case utf8 = 0, decimal = 5, date = 6, timestampMicros = 10, int64 = 18
}

enum ParquetRepetition: Int32 {
    case required = 0, optional = 1, repeated = 2
}

enum ParquetEncoding: Int32 {
    case plain = 0, plainDictionary = 2, rle = 3, bitPacked = 4, rleDictionary = 8
}

enum ParquetPageType: Int32 {
    case dataPage = 0, indexPage = 1, dictionaryPage = 2, dataPageV2 = 3
}

extension Codec {
    /// The `CompressionCodec` value of `parquet.thrift`.
    var parquetCodecID: Int32 {
        switch self {
        case .uncompressed: return 0
        case .snappy: return 1
        case .zstd: return 6
        }
    }
}

/// The `LogicalType` union members this writer uses.
enum ParquetLogicalType {
    case string
    case decimal(precision: Int32, scale: Int32)
    case date
    case timestampMicrosUTC
    case signedInt64

    func write(to w: inout ThriftCompactWriter, fieldID: Int16) {
        w.beginStructField(fieldID)
        switch self {
        case .string:
            w.beginStructField(1); w.endStruct()
        case .decimal(let precision, let scale):
            w.beginStructField(5)
            w.field(1, i32: scale)
            w.field(2, i32: precision)
            w.endStruct()
        case .date:
            w.beginStructField(6); w.endStruct()
        case .timestampMicrosUTC:
            w.beginStructField(8)
            w.field(1, bool: true)          // isAdjustedToUTC
            w.beginStructField(2)           // unit: TimeUnit union
            w.beginStructField(2); w.endStruct() // MICROS
            w.endStruct()
            w.endStruct()
        case .signedInt64:
            w.beginStructField(10)
            w.field(1, i8: 64)
            w.field(2, bool: true)
            w.endStruct()
        }
        w.endStruct()
    }
}
