/// How `CSVReader` reads a file.
public struct CSVReadOptions: Sendable {
    /// Field separator byte; RFC 4180 uses a comma.
    public var delimiter: UInt8
    /// Bytes requested per `read(2)`.
    public var chunkSize: Int
    /// Longest record accepted. A longer one (almost always a quote that never closes) is
    /// reported as malformed and reading resumes on the line after the one it started on,
    /// so one bad quote cannot pull the rest of a 100 GB file into memory.
    public var maxRecordBytes: Int
    /// How much of a malformed record's text is kept in `MalformedRow.raw`.
    public var maxRawBytes: Int

    public init(delimiter: UInt8 = UInt8(ascii: ","), chunkSize: Int = 1 << 20,
                maxRecordBytes: Int = 64 << 20, maxRawBytes: Int = 256) {
        self.delimiter = delimiter
        self.chunkSize = chunkSize
        self.maxRecordBytes = maxRecordBytes
        self.maxRawBytes = maxRawBytes
    }
}
