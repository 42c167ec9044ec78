import FlowlineCore

/// Settings of a `ParquetWriter`; the defaults suit CRM-sized exports (like Arrow's writer properties).
public struct ParquetWriterOptions: Sendable, Hashable {
    /// Page compression. SNAPPY by default, as AppFlow and Arrow do.
    public var compression: Codec
    /// The zstd level when `compression` is `.zstd`.
    public var zstdLevel: Int32
    /// `false` writes every column as STRING from `Value.text` (AppFlow's `preserveSourceDataTyping: false`).
    public var preserveTypes: Bool
    /// A row group is flushed once its encoded, compressed column data reaches this many bytes...
    public var rowGroupBytes: Int
    /// ...or once it holds this many rows.
    public var rowGroupRows: Int
    /// Target size of one data page before compression.
    public var pageBytes: Int
    /// Most values (including nulls) in one data page.
    public var pageRows: Int
    /// Dictionary-encode string columns, falling back to PLAIN once the dictionary outgrows `dictionaryPageBytes`.
    public var useDictionary: Bool
    public var dictionaryPageBytes: Int
    /// Decimal columns are written as DECIMAL(precision, scale) in a FIXED_LEN_BYTE_ARRAY just wide enough
    /// for `decimalPrecision` digits (16 bytes for 38). Values needing more digits or fractional digits throw.
    public var decimalPrecision: Int
    public var decimalScale: Int
    /// Written to the footer's key_value_metadata, sorted by key.
    public var keyValueMetadata: [String: String]
    public var createdBy: String

    public init(compression: Codec = .snappy,
                zstdLevel: Int32 = Codec.defaultZstdLevel,
                preserveTypes: Bool = true,
                rowGroupBytes: Int = 64 << 20,
                rowGroupRows: Int = 1_000_000,
                pageBytes: Int = 1 << 20,
                pageRows: Int = 20_000,
                useDictionary: Bool = true,
                dictionaryPageBytes: Int = 1 << 20,
                decimalPrecision: Int = 38,
                decimalScale: Int = 18,
                keyValueMetadata: [String: String] = [:],
                createdBy: String = "flowline version 0.1") {
        self.compression = compression
        self.zstdLevel = zstdLevel
        self.preserveTypes = preserveTypes
        self.rowGroupBytes = rowGroupBytes
        self.rowGroupRows = rowGroupRows
        self.pageBytes = pageBytes
        self.pageRows = pageRows
        self.useDictionary = useDictionary
        self.dictionaryPageBytes = dictionaryPageBytes
        self.decimalPrecision = decimalPrecision
        self.decimalScale = decimalScale
        self.keyValueMetadata = keyValueMetadata
        self.createdBy = createdBy
    }

    func validate(path: String) throws {
        func check(_ ok: Bool, _ what: String) throws {
            if !ok { throw ParquetWriterError.invalidOptions(path: path, reason: what) }
        }
        try check(rowGroupBytes > 0, "rowGroupBytes must be positive")
        try check(rowGroupRows > 0, "rowGroupRows must be positive")
        try check(pageBytes > 0 && pageBytes <= 1 << 30, "pageBytes must be in 1...1 GiB")
        try check(pageRows > 0, "pageRows must be positive")
        try check(dictionaryPageBytes > 0 && dictionaryPageBytes <= 1 << 30, "dictionaryPageBytes must be in 1...1 GiB")
        try check((1...38).contains(decimalPrecision), "decimalPrecision must be in 1...38")
        try check((0...decimalPrecision).contains(decimalScale), "decimalScale must be in 0...decimalPrecision")
    }
}

/// What a finished Parquet file holds.
public struct ParquetFileSummary: Sendable, Hashable {
    public let path: String
    public let rows: Int64
    /// Size of the whole file, footer and magic included.
    public let bytes: Int64
    public let rowGroups: Int
}
