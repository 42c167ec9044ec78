import FlowlineCore

/// Where a column's values come from, for error messages.
struct ParquetColumnContext {
    let path: String
    let column: String
    let fieldType: FieldType
    /// File row number of `rows[0]` in the current `append` call.
    var rowNumberBase: Int64 = 0

    func typeMismatch(row: Int, found: Value) -> ParquetWriterError {
        .typeMismatch(path: path, column: column, row: rowNumberBase + Int64(row),
                      expected: fieldType, found: found.fieldType ?? fieldType)
    }
}

/// One column's values as an encoder reads them: a field of row-form records, or a `Column`
/// (whose typed storage encoders may read directly).
struct ParquetCells {
    let rows: UnsafeBufferPointer<[Value]>
    let field: Int
    let column: Column?

    init(rows: UnsafeBufferPointer<[Value]>, field: Int) {
        self.rows = rows
        self.field = field
        column = nil
    }

    init(column: Column) {
        rows = UnsafeBufferPointer(start: nil, count: 0)
        field = 0
        self.column = column
    }

    @inline(__always)
    subscript(r: Int) -> Value {
        if let column { return column[r] }
        return rows[r][field]
    }
}

/// When a data page is full.
struct ParquetPageLimits {
    let values: Int
    let bytes: Int
}

/// Encodes one column's values (not its definition levels) into pages: one implementation per
/// physical representation. The column chunk writer owns the levels, pages and compression.
///
/// Implementations are non-generic structs: their hot loops then touch plain stored properties,
/// free of the per-access exclusivity checks of class properties and of unspecialized generic code.
protocol ParquetValueEncoder {
    /// Appends `cells[range]`, one definition level per row to `levels` (1 present, 0 null),
    /// stopping early when the page reaches `limits`. Returns the first row not consumed.
    mutating func append(_ cells: ParquetCells, range: Range<Int>,
                levels: inout [UInt8], limits: ParquetPageLimits, context: ParquetColumnContext) throws -> Int

    /// Bytes the current page's values take once encoded (before compression).
    var pageValueBytes: Int { get }

    /// Appends the current page's encoded values to `body`, starts a new page, and names the encoding.
    mutating func finishPage(into body: inout [UInt8]) -> ParquetEncoding

    /// Bytes held for the column chunk besides finished pages (a dictionary).
    var chunkBufferedBytes: Int { get }

    /// Ends the column chunk: its PLAIN dictionary page body and entry count if the chunk's pages
    /// refer to one, and min/max statistics in PLAIN form if known. Resets for the next chunk.
    mutating func finishChunk() -> (dictionary: (body: [UInt8], count: Int)?, min: [UInt8]?, max: [UInt8]?)
}

extension Array where Element == UInt8 {
    /// Appends the in-memory (little-endian on every platform Swift targets) bytes of `values`.
    mutating func appendRawBytes<T>(of values: [T]) {
        values.withUnsafeBytes { append(contentsOf: $0) }
    }
}
