import FlowlineCore

/// How one schema field is stored: its Parquet schema element and the encoder of its values.
struct ParquetColumnLayout {
    let fieldType: FieldType
    let schemaElement: ParquetSchemaElement
    let encoder: any ParquetValueEncoder

    init(field: Field, options: ParquetWriterOptions) {
        fieldType = field.type
        var element = ParquetSchemaElement(name: field.name, repetition: .optional)
        let pageValues = options.pageRows
        // Every column is OPTIONAL whatever `field.nullable` says, so a stray null never fails a run.
        switch options.preserveTypes ? field.type : .string {
        case .bool:
            element.type = .boolean
            encoder = BooleanColumnEncoder()
        case .int:
            element.type = .int64
            element.convertedType = .int64
            element.logicalType = .signedInt64
            encoder = Int64ColumnEncoder()
        case .double:
            element.type = .double
            encoder = DoubleColumnEncoder()
        case .decimal:
            let layout = ParquetDecimalLayout(precision: options.decimalPrecision, scale: options.decimalScale)
            element.type = .fixedLenByteArray
            element.typeLength = Int32(layout.byteWidth)
            element.convertedType = .decimal
            element.precision = Int32(layout.precision)
            element.scale = Int32(layout.scale)
            element.logicalType = .decimal(precision: Int32(layout.precision), scale: Int32(layout.scale))
            encoder = DecimalColumnEncoder(layout: layout)
        case .string:
            element.type = .byteArray
            element.convertedType = .utf8
            element.logicalType = .string
            encoder = ByteArrayColumnEncoder(textOfAnyValue: !options.preserveTypes,
                                             useDictionary: options.useDictionary,
                                             dictionaryLimit: options.dictionaryPageBytes, pageValues: pageValues)
        case .date:
            element.type = .int32
            element.convertedType = .date
            element.logicalType = .date
            encoder = DateColumnEncoder()
        case .timestamp:
            element.type = .int64
            element.convertedType = .timestampMicros
            element.logicalType = .timestampMicrosUTC
            encoder = TimestampColumnEncoder()
        }
        schemaElement = element
    }
}
